// ScriptLoader runs a folder of CommonJS scripts with V8's code cache (src/cached-scripts.ts).
// Each test writes its own small folder of scripts and its own cache folder. V8 also keeps
// compiled scripts in memory, by source and file name, for as long as the process lives: so
// that each loader below starts as a new process would, each gets a copy of the scripts in
// a folder of its own (the caches are named by content, not by place).
import {execFileSync} from 'node:child_process';
import {createHash} from 'node:crypto';
import {
	chmodSync,
	existsSync,
	lstatSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {codeCache, ScriptLoader, type CodeCache} from '../../src/cached-scripts.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'cached-scripts-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));
let serial = 0;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** Makes copies of scripts, with a manifest that lists those not named in `unlisted`. */
function scripts(files: Record<string, string>, unlisted: readonly string[] = []): () => string {
	return () => copy(files, unlisted);
}

function copy(files: Record<string, string>, unlisted: readonly string[]): string {
	const dir = path.join(work, `scripts-${++serial}`);
	const listed: Record<string, string> = {};
	for (const [name, text] of Object.entries(files)) {
		mkdirSync(path.dirname(path.join(dir, name)), {recursive: true});
		writeFileSync(path.join(dir, name), text);
		if (!unlisted.includes(name)) listed[name] = hashOf(text);
	}
	writeFileSync(
		path.join(dir, 'manifest.json'),
		JSON.stringify({entry: 'main.cjs', scripts: listed}),
	);
	return dir;
}

/** A cache under a base folder of its own, as `~/.cache` would be. */
function freshCache(variant = 'v1'): CodeCache {
	const base = path.join(work, `base-${++serial}`);
	mkdirSync(base, {mode: 0o700});
	return {dir: path.join(base, 'engram-design', 'code'), variant};
}

const cacheName = (text: string, variant = 'v1') =>
	`${hashOf(text)}-${variant}-node${process.version}-${process.arch}.bin`;

// An entry that requires a chunk, a built-in module, and a chunk loaded the way import() is
// turned into require() by the build.
const program = {
	'main.cjs': [
		'const shared = require("./chunks/shared.cjs");',
		'const path = require("node:path");',
		'exports.twice = text => shared.join(text, text);',
		'exports.base = file => path.basename(file);',
		'exports.later = () => Promise.resolve().then(() => require("./chunks/later.cjs"));',
		'exports.where = () => [__filename, __dirname];',
	].join('\n'),
	'chunks/shared.cjs': 'exports.join = (a, b) => `${a}+${b}`;',
	'chunks/later.cjs': 'module.exports = {answer: 42};',
};

/** The cache file of one of the program's scripts. */
const cacheOf = (cache: CodeCache, script: 'main.cjs' | 'chunks/shared.cjs') =>
	path.join(cache.dir, cacheName(program[script]));

type Program = {
	twice(text: string): string;
	base(file: string): string;
	later(): Promise<{answer: number}>;
	where(): [string, string];
};

async function exercise(loader: ScriptLoader): Promise<void> {
	const main = loader.entry() as Program;
	expect(main.twice('x')).toBe('x+x');
	expect(main.base('/a/b.txt')).toBe('b.txt');
	expect((await main.later()).answer).toBe(42);
}

/** Runs the program once with a loader of its own and saves its caches. */
async function run(dir: () => string, cache: CodeCache | undefined): Promise<ScriptLoader> {
	const loader = new ScriptLoader(dir(), cache);
	await exercise(loader);
	loader.save();
	return loader;
}

const uses = (loader: ScriptLoader) => [...loader.uses.values()];

test('scripts run with require, built-ins, their file names and late requires', async () => {
	const dir = scripts(program)();
	const loader = new ScriptLoader(dir, freshCache());
	await exercise(loader);
	const main = loader.entry() as Program;
	expect(main.where()).toEqual([path.join(dir, 'main.cjs'), dir]);
	// Loaded once: the same exports every time.
	expect(loader.entry()).toBe(main);
});

test('the first run makes a cache for each script it loaded; the next run uses them', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	const first = new ScriptLoader(dir(), cache);
	await exercise(first);
	expect(Object.fromEntries(first.uses)).toEqual({
		'main.cjs': 'made',
		'chunks/shared.cjs': 'made',
		'chunks/later.cjs': 'made',
	});
	expect(existsSync(cache.dir)).toBe(false);
	first.save();
	const made = readdirSync(cache.dir).sort();
	expect(made).toEqual(
		Object.values(program)
			.map(text => cacheName(text))
			.sort(),
	);
	// The folders made are the user's alone.
	expect(statSync(cache.dir).mode & 0o777).toBe(0o700);
	expect(statSync(path.dirname(cache.dir)).mode & 0o777).toBe(0o700);

	const times = made.map(file => statSync(path.join(cache.dir, file)).mtimeMs);
	const second = await run(dir, cache);
	expect(uses(second)).toEqual(['used', 'used', 'used']);
	expect(made.map(file => statSync(path.join(cache.dir, file)).mtimeMs)).toEqual(times);
});

test('a cache damaged inside, or cut short, is not given to V8 but made again', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	await run(dir, cache);
	const shared = cacheOf(cache, 'chunks/shared.cjs');
	const main = cacheOf(cache, 'main.cjs');
	// Bytes flipped in the middle: V8 would take it (it checks little more than lengths).
	const damaged = readFileSync(shared);
	const middle = Math.floor(damaged.length / 2);
	for (let index = middle; index < middle + 4; index++) damaged[index]! ^= 0xff;
	writeFileSync(shared, damaged);
	writeFileSync(main, readFileSync(main).subarray(0, 70));

	const second = await run(dir, cache);
	expect(second.uses.get('chunks/shared.cjs')).toBe('rejected');
	expect(second.uses.get('main.cjs')).toBe('rejected');
	expect(second.uses.get('chunks/later.cjs')).toBe('used');
	expect(readFileSync(shared).equals(damaged)).toBe(false);

	const third = await run(dir, cache);
	expect(uses(third)).toEqual(['used', 'used', 'used']);
});

test('a script edited in place, with the same length and name, gets no stale cache', async () => {
	const before = {'main.cjs': 'exports.value = "aaaa";'};
	const cache = freshCache();
	const first = new ScriptLoader(copy(before, []), cache);
	expect((first.entry() as {value: string}).value).toBe('aaaa');
	first.save();

	// The manifest still names the old content.
	const dir = copy(before, []);
	writeFileSync(path.join(dir, 'main.cjs'), 'exports.value = "bbbb";');
	const loader = new ScriptLoader(dir, cache);
	expect((loader.entry() as {value: string}).value).toBe('bbbb');
	expect(loader.uses.get('main.cjs')).toBe('rejected');
});

test('runs started with other flags keep caches of their own', async () => {
	const dir = scripts(program);
	const one = freshCache('v1');
	const other = {...one, variant: 'v2'};
	await run(dir, one);
	expect(uses(await run(dir, other))).toEqual(['made', 'made', 'made']);
	expect(readdirSync(one.dir)).toHaveLength(6);
	expect(uses(await run(dir, one))).toEqual(['used', 'used', 'used']);
	expect(uses(await run(dir, other))).toEqual(['used', 'used', 'used']);
});

test('a script the manifest does not list runs without a cache', async () => {
	const cache = freshCache();
	const loader = await run(scripts(program, ['chunks/later.cjs']), cache);
	expect(loader.uses.get('chunks/later.cjs')).toBe('none');
	expect(readdirSync(cache.dir)).toHaveLength(2);
});

test('without a cache, or one that cannot be made, scripts run and nothing throws', async () => {
	const dir = scripts(program);
	expect(uses(await run(dir, undefined))).toEqual(['none', 'none', 'none']);

	const blocker = path.join(work, `file-${++serial}`);
	writeFileSync(blocker, 'a file where the cache folder would go');
	const blocked = {dir: path.join(blocker, 'engram-design', 'code'), variant: 'v1'};
	expect(uses(await run(dir, blocked))).toEqual(['none', 'none', 'none']);
	expect(readFileSync(blocker, 'utf8')).toBe('a file where the cache folder would go');

	// A recursive mkdir would spin here for ever.
	await run(dir, {dir: '/proc/engram-design-test/engram-design/code', variant: 'v1'});

	// A cache folder that cannot be written to.
	const cache = freshCache();
	mkdirSync(cache.dir, {recursive: true, mode: 0o700});
	chmodSync(cache.dir, 0o500);
	try {
		await run(dir, cache);
	} finally {
		chmodSync(cache.dir, 0o700);
	}
});

test('a FIFO or a link in place of a cache is not read from', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	await run(dir, cache);
	const shared = cacheOf(cache, 'chunks/shared.cjs');
	const main = cacheOf(cache, 'main.cjs');
	rmSync(shared);
	execFileSync('mkfifo', [shared]);
	rmSync(main);
	execFileSync('ln', ['-s', '/dev/zero', main]);

	const second = await run(dir, cache);
	expect(second.uses.get('chunks/shared.cjs')).toBe('rejected');
	expect(second.uses.get('main.cjs')).toBe('made');
	// Both are plain files again.
	expect(lstatSync(shared).isFile()).toBe(true);
	expect(lstatSync(main).isFile()).toBe(true);
	expect(uses(await run(dir, cache))).toEqual(['used', 'used', 'used']);
});

test('cache folders others may write to are neither read nor written', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	await run(dir, cache);
	const base = path.dirname(path.dirname(cache.dir));
	for (const open of [cache.dir, path.dirname(cache.dir), base]) {
		chmodSync(open, 0o777);
		expect(uses(await run(dir, cache))).toEqual(['none', 'none', 'none']);
		chmodSync(open, 0o700);
	}

	// A base everyone writes to but no one may rename in, like /tmp, is fine.
	chmodSync(base, 0o1777);
	expect(uses(await run(dir, cache))).toEqual(['used', 'used', 'used']);
	chmodSync(base, 0o700);
});

test('caches of other builds and temp files a killed run left are cleared once old', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	mkdirSync(cache.dir, {recursive: true, mode: 0o700});
	const old = Date.now() / 1000 - 30 * 24 * 3600;
	const file = (name: string, age: number) => {
		writeFileSync(path.join(cache.dir, name), 'x');
		utimesSync(path.join(cache.dir, name), age, age);
	};
	file('0123-v1-node-other.bin', old);
	file('4567-v1-node-other.bin', Date.now() / 1000);
	file(`${cacheName(program['main.cjs'])}.999.tmp`, old);
	await run(dir, cache);
	expect(readdirSync(cache.dir).sort()).toEqual(
		['4567-v1-node-other.bin', ...Object.values(program).map(text => cacheName(text))].sort(),
	);
});

test('an error thrown by a script reaches the caller as it is', () => {
	const dir = scripts({'main.cjs': 'throw new RangeError("from the script");'});
	const loader = new ScriptLoader(dir(), freshCache());
	expect(() => loader.entry()).toThrow(RangeError);
});

test('caches live under an absolute XDG_CACHE_HOME, else ~/.cache, named by flags', () => {
	const home = '/home/someone';
	expect(codeCache({XDG_CACHE_HOME: '/x/cache'}, [], home)?.dir).toBe(
		'/x/cache/engram-design/code',
	);
	for (const xdg of [undefined, '', 'relative/cache']) {
		expect(codeCache({XDG_CACHE_HOME: xdg}, [], home)?.dir).toBe(
			'/home/someone/.cache/engram-design/code',
		);
	}

	expect(codeCache({}, [], '')).toBeUndefined();
	expect(codeCache({XDG_CACHE_HOME: 'relative'}, [], 'also-relative')).toBeUndefined();
	const plain = codeCache({}, [], home)?.variant;
	expect(codeCache({}, ['--jitless'], home)?.variant).not.toBe(plain);
	expect(codeCache({NODE_OPTIONS: '--no-opt'}, [], home)?.variant).not.toBe(plain);
	expect(codeCache({}, [], home)?.variant).toBe(plain);
});
