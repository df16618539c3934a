import {chmod, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {runCli} from '../helpers/cli.js';
import {commands, failureLine, operations, withDesign} from '../helpers/faults.js';

// An engram that fails, hangs, prints no id, is missing or cannot be run, injected through
// the fake engram; then the same apply again: the store ends up with the whole design, once.
// Crashes (an engram killed after storing, engram-design killed) are in crashes.test.ts.

describe('an operation that fails', () => {
	test.each(operations)(
		'at operation %i (%s) stops the commit; the same apply finishes it once',
		async (n, command) =>
			withDesign(async repo => {
				const failed = await repo.apply({FAKE_ENGRAM_FAIL_AT: String(n)});
				expect(failed.exitCode).toBe(1);
				const [first] = failed.stderr.split('\n');
				const reason = 'failed: Error: Git operation failed: injected failure';
				expect(first).toMatch(failureLine(command, reason));
				const ops = Object.values(await repo.journalOps());
				expect(ops.filter(op => op.id !== undefined)).toHaveLength(n - 1);
				expect(ops.filter(op => op.id === undefined)).toHaveLength(1);

				const again = await repo.apply();
				expect(again.stderr).toBe('');
				expect(again.exitCode).toBe(0);
				expect(again.stdout.match(/^kept /gm) ?? []).toHaveLength(n - 1);
				await repo.expectStoredOnce();
			}),
	);
});

// Each of these mostly waits (for a timeout), so they run at the same time.
describe.concurrent('an engram that hangs', () => {
	test.each([1, 5, 9])(
		'at operation %i is stopped by the timeout; the same apply finishes',
		async n =>
			withDesign(async repo => {
				const started = Date.now();
				const hung = await repo.apply({
					FAKE_ENGRAM_HANG_AT: String(n),
					ENGRAM_DESIGN_TIMEOUT_MS: '1500',
				});
				expect(hung.exitCode).toBe(1);
				expect(hung.stderr.split('\n')[0]).toMatch(
					failureLine(commands[n - 1]!, 'timed out after 1.5 seconds'),
				);
				expect(Date.now() - started).toBeLessThan(15_000);

				const again = await repo.apply();
				expect(again.exitCode).toBe(0);
				await repo.expectStoredOnce();
			}),
	);

	test('ENGRAM_DESIGN_TIMEOUT_MS must be milliseconds, and --help names it', async () =>
		withDesign(async repo => {
			const bad = await repo.apply({ENGRAM_DESIGN_TIMEOUT_MS: 'soon'});
			expect(bad.exitCode).toBe(2);
			expect(bad.stderr).toBe(
				'engram-design: ENGRAM_DESIGN_TIMEOUT_MS must be a whole number ' +
					'of milliseconds above 0, not "soon"',
			);
			const help = await runCli(['--help']);
			expect(String(help.stdout)).toMatch(/^ {2}ENGRAM_DESIGN_TIMEOUT_MS {2}.*one engram call/m);
		}));
});

test('an engram that never prints ids: each run finds the last; all is stored once', async () =>
	withDesign(async repo => {
		for (const [n, command] of operations) {
			const run = await repo.apply({FAKE_ENGRAM_NO_ID: '1'});
			expect(run.exitCode).toBe(1);
			expect(run.stderr.split('\n')[0]).toMatch(failureLine(command, 'printed no id'));
			expect(run.stdout.match(/^found .*$/gm) ?? []).toHaveLength(n === 1 ? 0 : 1);
		}

		const last = await repo.apply({FAKE_ENGRAM_NO_ID: '1'});
		expect(last.exitCode).toBe(0);
		expect(last.stdout.match(/^found .*$/gm)).toHaveLength(1);
		await repo.expectStoredOnce();
	}));

test('a missing engram binary is one sentence and exit 1', async () =>
	withDesign(async repo => {
		const missing = path.join(repo.dir, 'no-such-engram');
		const result = await repo.apply({}, missing);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toBe(`engram-design: engram was not found at ${missing}`);
	}));

test('an engram file that is not executable is one sentence and exit 1', async () =>
	withDesign(async repo => {
		const file = path.join(repo.dir, 'engram');
		await writeFile(file, '#!/bin/sh\necho engram 0.6.3\n');
		await chmod(file, 0o644);
		const result = await repo.apply({}, file);
		expect(result.exitCode).toBe(1);
		expect(result.stderr).toBe(`engram-design: engram at ${file} is not executable`);
	}));
