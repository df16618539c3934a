import {chmod, readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {FAKE_ENGRAM, fakeCalls, runCli, tempRepo} from '../helpers/cli.js';
import {expectDesignStoredOnce} from '../helpers/fake-store.js';
import {rawExample} from '../unit/example.js';

// Every way the engram binary can fail a commit, injected through the fake engram, and the
// same apply run again afterwards: the store must end up with the whole design, once.

let repo: {dir: string; cleanup: () => Promise<void>};
let design: string;
let log: string;

beforeEach(async () => {
	repo = await tempRepo();
	log = path.join(repo.dir, 'calls.jsonl');
	// No task named: the commit creates it, so it has 11 operations.
	const raw = rawExample();
	delete raw['task'];
	design = path.join(repo.dir, 'design.json');
	await writeFile(design, JSON.stringify(raw));
});

afterEach(async () => repo.cleanup());

/** The engram command of each operation, in commit order. */
const commands = [
	'task create',
	'context create',
	'reasoning create',
	'reasoning create',
	'context create',
	'reasoning create',
	...Array<string>(5).fill('relationship create'),
];
const operations = commands.map((command, index) => [index + 1, command] as const);

type Run = {exitCode: number | undefined; stdout: string; stderr: string};

/** Runs the same apply of the design, with the fake engram unless another is given. */
async function apply(env: Record<string, string> = {}, engram = FAKE_ENGRAM): Promise<Run> {
	const result = await runCli(['apply', design, '--engram', engram], {cwd: repo.dir, env});
	return {exitCode: result.exitCode, stdout: String(result.stdout), stderr: String(result.stderr)};
}

/** The store holds one task, the five artifacts and the five links, each exactly once. */
function expectWholeDesignOnce() {
	return expectDesignStoredOnce(repo.dir);
}

/** The one-sentence report of a failed operation, and the hint that the same apply continues. */
function failureLine(command: string, what: string): RegExp {
	const escaped = what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^engram-design: engram ${command} ${escaped}; run the same apply again `
		+ 'to continue where it stopped$');
}

async function journalOps(): Promise<Record<string, {id?: string}>> {
	const dir = path.join(repo.dir, '.engram-design', 'journal');
	const [name, ...others] = (await readdir(dir)).filter(file => file.endsWith('.json'));
	expect(others).toEqual([]);
	const journal = JSON.parse(await readFile(path.join(dir, name!), 'utf8')) as {
		ops: Record<string, {id?: string}>;
	};
	return journal.ops;
}

describe('an operation that fails', () => {
	test.each(operations)('at operation %i (%s) stops the commit; the same apply finishes it once',
		async (n, command) => {
			const failed = await apply({FAKE_ENGRAM_FAIL_AT: String(n)});
			expect(failed.exitCode).toBe(1);
			const [first] = failed.stderr.split('\n');
			const reason = 'failed: Error: Git operation failed: injected failure';
			expect(first).toMatch(failureLine(command, reason));
			const ops = Object.values(await journalOps());
			expect(ops.filter(op => op.id !== undefined)).toHaveLength(n - 1);
			expect(ops.filter(op => op.id === undefined)).toHaveLength(1);

			const again = await apply();
			expect(again.stderr).toBe('');
			expect(again.exitCode).toBe(0);
			expect(again.stdout.match(/^kept /gm) ?? []).toHaveLength(n - 1);
			await expectWholeDesignOnce();
		});
});

describe('an engram killed after storing, before printing the id', () => {
	test.each(operations)('at operation %i (%s) is found again, not stored twice',
		async (n, command) => {
			const died = await apply({FAKE_ENGRAM_DIE_AT: String(n)});
			expect(died.exitCode).toBe(1);
			expect(died.stderr.split('\n')[0]).toMatch(failureLine(command, 'was killed by SIGKILL'));

			const again = await apply({FAKE_ENGRAM_LOG: log});
			expect(again.stderr).toBe('');
			expect(again.exitCode).toBe(0);
			expect(again.stdout.match(/^found .*$/gm)).toHaveLength(1);
			const creates = (await fakeCalls(log)).filter(call => call.argv[1] === 'create');
			expect(creates).toHaveLength(11 - n);
			await expectWholeDesignOnce();
		});
});

describe('an engram that hangs', () => {
	test.each([1, 5, 9])('at operation %i is stopped by the timeout; the same apply finishes',
		async n => {
			const started = Date.now();
			const hung = await apply({
				FAKE_ENGRAM_HANG_AT: String(n),
				ENGRAM_DESIGN_TIMEOUT_MS: '1500',
			});
			expect(hung.exitCode).toBe(1);
			expect(hung.stderr.split('\n')[0])
				.toMatch(failureLine(commands[n - 1]!, 'timed out after 1.5 seconds'));
			expect(Date.now() - started).toBeLessThan(15_000);

			const again = await apply();
			expect(again.exitCode).toBe(0);
			await expectWholeDesignOnce();
		});

	test('ENGRAM_DESIGN_TIMEOUT_MS must be milliseconds, and --help names it', async () => {
		const bad = await apply({ENGRAM_DESIGN_TIMEOUT_MS: 'soon'});
		expect(bad.exitCode).toBe(2);
		expect(bad.stderr).toBe('engram-design: ENGRAM_DESIGN_TIMEOUT_MS must be a whole number '
			+ 'of milliseconds above 0, not "soon"');
		const help = await runCli(['--help']);
		expect(help.stdout).toMatch(/^ {2}ENGRAM_DESIGN_TIMEOUT_MS {2}.*one engram call/m);
	});
});

test('an engram that never prints ids: each run finds the one before; all is stored once',
	async () => {
		for (const [n, command] of operations) {
			const run = await apply({FAKE_ENGRAM_NO_ID: '1'});
			expect(run.exitCode).toBe(1);
			expect(run.stderr.split('\n')[0]).toMatch(failureLine(command, 'printed no id'));
			expect(run.stdout.match(/^found .*$/gm) ?? []).toHaveLength(n === 1 ? 0 : 1);
		}

		const last = await apply({FAKE_ENGRAM_NO_ID: '1'});
		expect(last.exitCode).toBe(0);
		expect(last.stdout.match(/^found .*$/gm)).toHaveLength(1);
		await expectWholeDesignOnce();
	});

test('a missing engram binary is one sentence and exit 1', async () => {
	const missing = path.join(repo.dir, 'no-such-engram');
	const result = await apply({}, missing);
	expect(result.exitCode).toBe(1);
	expect(result.stderr).toBe(`engram-design: engram was not found at ${missing}`);
});

test('an engram file that is not executable is one sentence and exit 1', async () => {
	const file = path.join(repo.dir, 'engram');
	await writeFile(file, '#!/bin/sh\necho engram 0.6.3\n');
	await chmod(file, 0o644);
	const result = await apply({}, file);
	expect(result.exitCode).toBe(1);
	expect(result.stderr).toBe(`engram-design: engram at ${file} is not executable`);
});

describe('kill -9 of engram-design during a commit', () => {
	// The kill lands once this many engram calls have stored something, and then after a pause:
	// at once, the last id may not be in the journal yet; a moment later the next call is under
	// way, and the engram it started stores its entity after engram-design is gone.
	test.each([
		[1, 0],
		[3, 80],
		[6, 0],
		[8, 80],
		[10, 80],
	])('after %i stored operations and %i ms; the same apply finishes once',
		async (stored, pause) => {
			const child = runCli(['apply', design, '--engram', FAKE_ENGRAM], {
				cwd: repo.dir,
				env: {FAKE_ENGRAM_DELAY_MS: '150', FAKE_ENGRAM_LOG: log},
			});
			const deadline = Date.now() + 15_000;
			for (;;) {
				const creates = (await fakeCalls(log)).filter(call => call.argv[1] === 'create');
				if (creates.length >= stored) break;
				expect(Date.now()).toBeLessThan(deadline);
				await delay(10);
			}

			await delay(pause);
			child.kill('SIGKILL');
			const killed = await child;
			expect(killed.signal).toBe('SIGKILL');

			const again = await apply();
			expect(again.stderr).toBe('');
			expect(again.exitCode).toBe(0);
			await expectWholeDesignOnce();
		});
});
