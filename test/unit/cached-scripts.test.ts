// ScriptLoader runs a folder of CommonJS scripts with V8's code cache (src/cached-scripts.ts).
// Each test writes its own small folder of scripts and its own cache folder. V8 also keeps
// compiled scripts in memory, by source and file name, for as long as the process lives: so
// that each loader below starts as a new process would, each gets a copy of the scripts in
// a folder of its own (the caches are named by content, not by place).
import {createHash} from 'node:crypto';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterAll, expect, test} from 'vitest';
import {codeCacheDir, ScriptLoader} from '../../src/cached-scripts.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'cached-scripts-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));
let serial = 0;

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);

/** Writes scripts and a manifest that lists those not named in `unlisted`. */
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

const freshCache = () => path.join(work, `cache-${++serial}`);

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
	expect(existsSync(cache)).toBe(false);
	first.save();
	const made = readdirSync(cache).sort();
	expect(made).toHaveLength(3);
	for (const name of Object.keys(program)) {
		const file = `${hashOf(program[name as keyof typeof program])}-node${process.version}-${process.arch}.bin`;
		expect(made).toContain(file);
	}

	const times = made.map(file => statSync(path.join(cache, file)).mtimeMs);
	const second = new ScriptLoader(dir(), cache);
	await exercise(second);
	expect([...second.uses.values()]).toEqual(['used', 'used', 'used']);
	second.save();
	expect(made.map(file => statSync(path.join(cache, file)).mtimeMs)).toEqual(times);
});

test('a damaged cache is rejected, the script compiled from source and the cache made again', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	const first = new ScriptLoader(dir(), cache);
	await exercise(first);
	first.save();
	const shared = path.join(
		cache,
		`${hashOf(program['chunks/shared.cjs'])}-node${process.version}-${process.arch}.bin`,
	);
	writeFileSync(shared, Buffer.from('not a code cache at all, just some bytes'));

	const second = new ScriptLoader(dir(), cache);
	await exercise(second);
	expect(second.uses.get('chunks/shared.cjs')).toBe('rejected');
	expect(second.uses.get('main.cjs')).toBe('used');
	second.save();
	expect(readFileSync(shared).length).toBeGreaterThan(100);

	const third = new ScriptLoader(dir(), cache);
	await exercise(third);
	expect(third.uses.get('chunks/shared.cjs')).toBe('used');
});

test('a script whose content changed gets a cache of its own, never the old one', async () => {
	const cache = freshCache();
	const before = scripts({'main.cjs': 'exports.value = "aaaa";'});
	const old = new ScriptLoader(before(), cache);
	expect((old.entry() as {value: string}).value).toBe('aaaa');
	old.save();

	// The same length: V8's own check would not tell the two apart.
	const after = scripts({'main.cjs': 'exports.value = "bbbb";'});
	const loader = new ScriptLoader(after(), cache);
	expect((loader.entry() as {value: string}).value).toBe('bbbb');
	expect(loader.uses.get('main.cjs')).toBe('made');
});

test('a script the manifest does not list runs without a cache', async () => {
	const dir = scripts(program, ['chunks/later.cjs']);
	const cache = freshCache();
	const loader = new ScriptLoader(dir(), cache);
	await exercise(loader);
	expect(loader.uses.get('chunks/later.cjs')).toBe('none');
	loader.save();
	expect(readdirSync(cache)).toHaveLength(2);
});

test('without a cache folder, or with one that cannot be made, scripts run all the same', async () => {
	const dir = scripts(program);
	const none = new ScriptLoader(dir(), undefined);
	await exercise(none);
	expect([...none.uses.values()]).toEqual(['none', 'none', 'none']);
	expect(() => none.save()).not.toThrow();

	const blocker = path.join(work, `file-${++serial}`);
	writeFileSync(blocker, 'a file where the cache folder would go');
	const blocked = new ScriptLoader(dir(), path.join(blocker, 'code'));
	await exercise(blocked);
	expect(() => blocked.save()).not.toThrow();
	expect(readFileSync(blocker, 'utf8')).toBe('a file where the cache folder would go');
});

test('an error thrown by a script reaches the caller as it is', () => {
	const dir = scripts({'main.cjs': 'throw new RangeError("from the script");'});
	const loader = new ScriptLoader(dir(), freshCache());
	expect(() => loader.entry()).toThrow(RangeError);
});

test('caches are kept under XDG_CACHE_HOME, else under ~/.cache', () => {
	expect(codeCacheDir({XDG_CACHE_HOME: '/x/cache'})).toBe('/x/cache/engram-design/code');
	expect(codeCacheDir({})).toBe(path.join(os.homedir(), '.cache', 'engram-design', 'code'));
	expect(codeCacheDir({XDG_CACHE_HOME: ''})).toBe(
		path.join(os.homedir(), '.cache', 'engram-design', 'code'),
	);
});

test('a cache folder others may write to is neither read nor written', async () => {
	const dir = scripts(program);
	const cache = freshCache();
	const first = new ScriptLoader(dir(), cache);
	await exercise(first);
	first.save();
	const made = readdirSync(cache).sort();
	expect(made).toHaveLength(3);

	// Folders made by the loader are the user's alone.
	expect(statSync(cache).mode & 0o777).toBe(0o700);
	expect(statSync(path.dirname(cache)).mode & 0o777).toBe(0o700);
	for (const open of [cache, path.dirname(cache)]) {
		chmodSync(open, 0o777);
		const loader = new ScriptLoader(dir(), cache);
		await exercise(loader);
		expect([...loader.uses.values()]).toEqual(['none', 'none', 'none']);
		chmodSync(open, 0o700);
	}

	const loader = new ScriptLoader(dir(), cache);
	await exercise(loader);
	expect([...loader.uses.values()]).toEqual(['used', 'used', 'used']);
});
