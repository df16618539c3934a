import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, expect, test} from 'vitest';
import {CLI, FAKE_ENGRAM} from '../helpers/cli.js';
import {DesignRepo} from '../helpers/faults.js';
import {TmuxSession} from '../helpers/tmux.js';
import {rawExample} from '../unit/example.js';

// The Commit screen of a session when engram fails part way: one line saying what failed,
// then r continues where it stopped and the design is stored once.

const sessions: TmuxSession[] = [];
const repos: DesignRepo[] = [];

afterEach(async () => {
	for (const session of sessions.splice(0)) session.kill();
	for (const repo of repos.splice(0)) await repo.cleanup();
});

test.each([
	[
		'FAKE_ENGRAM_FAIL_AT',
		'engram reasoning create failed: Error: Git operation failed: ' + 'injected failure',
	],
	['FAKE_ENGRAM_DIE_AT', 'engram reasoning create was killed by SIGKILL'],
])('%s=4: the failure is shown, r retries, everything is stored once', async (fault, message) => {
	const repo = await DesignRepo.create();
	repos.push(repo);
	const answers = rawExample();
	delete answers['task'];
	const draft = path.join(repo.dir, '.engram-design', 'draft.json');
	await mkdir(path.dirname(draft), {recursive: true});
	await writeFile(
		draft,
		JSON.stringify({
			version: 1,
			savedAt: '',
			screen: 'review',
			step: 4,
			focus: {},
			taskMode: 'new',
			draft: answers,
		}),
	);

	const session = new TmuxSession();
	sessions.push(session);
	session.start(`node ${CLI} resume --engram ${FAKE_ENGRAM}`, {
		cwd: repo.dir,
		width: 120,
		height: 30,
		env: {[fault]: '4'},
	});
	await session.waitFor('Review: everything that will be stored');
	session.keys('Enter');
	await session.waitFor(`✗ ${message}`, 20_000);
	const failed = await session.waitFor('Press r to retry: it continues where it stopped.');
	expect(failed).toMatch(/^✓ CAP analysis/m);

	session.keys('r');
	await session.waitFor('engram-design · Summary', 20_000);
	session.keys('q');
	await session.waitFor('[exit 0]');
	await repo.expectStoredOnce();
});
