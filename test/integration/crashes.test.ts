import {setTimeout as delay} from 'node:timers/promises';
import {describe, expect, test} from 'vitest';
import {FAKE_ENGRAM, fakeCalls, runCli} from '../helpers/cli.js';
import {failureLine, operations, withDesign} from '../helpers/faults.js';

// Crashes during a commit: an engram that stores its entity and dies before printing the id,
// and engram-design itself killed with kill -9 mid-way. The same apply afterwards finds what
// was stored without its id being recorded, and creates nothing twice.

describe('an engram killed after storing, before printing the id', () => {
	test.each(operations)(
		'at operation %i (%s) is found again, not stored twice',
		async (n, command) =>
			withDesign(async repo => {
				const died = await repo.apply({FAKE_ENGRAM_DIE_AT: String(n)});
				expect(died.exitCode).toBe(1);
				expect(died.stderr.split('\n')[0]).toMatch(failureLine(command, 'was killed by SIGKILL'));

				const again = await repo.apply({FAKE_ENGRAM_LOG: repo.log});
				expect(again.stderr).toBe('');
				expect(again.exitCode).toBe(0);
				expect(again.stdout.match(/^found .*$/gm)).toHaveLength(1);
				const creates = (await fakeCalls(repo.log)).filter(call => call.argv[1] === 'create');
				expect(creates).toHaveLength(11 - n);
				await repo.expectStoredOnce();
			}),
	);
});

// The kill lands once this many engram calls have stored something, and then after a pause:
// at once, the last id may not be in the journal yet; a moment later the next call is under
// way, and the engram it started stores its entity after engram-design is gone. These wait
// on slowed engram calls, so they run at the same time.
describe.concurrent('kill -9 of engram-design during a commit', () => {
	test.each([
		[1, 0],
		[3, 80],
		[6, 0],
		[8, 80],
		[10, 80],
	])('after %i stored operations and %i ms; the same apply finishes once', async (stored, pause) =>
		withDesign(async repo => {
			const child = runCli(['apply', repo.design, '--engram', FAKE_ENGRAM], {
				cwd: repo.dir,
				env: {FAKE_ENGRAM_DELAY_MS: '150', FAKE_ENGRAM_LOG: repo.log},
			});
			const deadline = Date.now() + 15_000;
			for (;;) {
				const creates = (await fakeCalls(repo.log)).filter(call => call.argv[1] === 'create');
				if (creates.length >= stored) break;
				expect(Date.now()).toBeLessThan(deadline);
				await delay(10);
			}

			await delay(pause);
			child.kill('SIGKILL');
			const killed = await child;
			expect(killed.signal).toBe('SIGKILL');

			const again = await repo.apply();
			expect(again.stderr).toBe('');
			expect(again.exitCode).toBe(0);
			await repo.expectStoredOnce();
		}),
	);
});

// Stopped with SIGTERM while an engram call runs, engram-design leaves the call to finish:
// cutting engram off could leave its store half written. The same apply then finds what that
// call stored instead of storing it again.
test('SIGTERM during a call: it finishes, and the same apply finds what it stored', async () =>
	withDesign(async repo => {
		const child = runCli(['apply', repo.design, '--engram', FAKE_ENGRAM], {
			cwd: repo.dir,
			env: {FAKE_ENGRAM_DELAY_MS: '300', FAKE_ENGRAM_LOG: repo.log},
		});
		const deadline = Date.now() + 15_000;
		const creates = async () =>
			(await fakeCalls(repo.log)).filter(call => call.argv[1] === 'create').length;
		while ((await creates()) < 2) {
			expect(Date.now()).toBeLessThan(deadline);
			await delay(10);
		}

		// The third create is under way for the next 300 ms.
		await delay(80);
		child.kill('SIGTERM');
		const stopped = await child;
		expect(stopped.signal).toBe('SIGTERM');
		while ((await creates()) < 3) {
			expect(Date.now()).toBeLessThan(deadline);
			await delay(10);
		}

		const again = await repo.apply();
		expect(again.stderr).toBe('');
		expect(again.exitCode).toBe(0);
		expect(again.stdout.match(/^found .*$/gm)).toHaveLength(1);
		await repo.expectStoredOnce();
	}));
