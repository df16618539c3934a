import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {EXAMPLE, FAKE_ENGRAM, fakeCalls, runCli, tempRepo} from '../helpers/cli.js';
import {trickyAnswers, writeCrlfYaml} from '../helpers/tricky.js';

const EXAMPLE_TASK = 'a3f8b2c1-1234-5678-90ab-cdef12345678';
// The example (a task given by id) and the tricky design (a task to create): 1 task,
// 4 contexts, 6 reasonings and 10 links.
const ENTITIES = 21;
let repo: {dir: string; cleanup: () => Promise<void>};
let log: string;
let localTask: string;

beforeEach(async () => {
	repo = await tempRepo();
	log = path.join(repo.dir, 'calls.jsonl');
	const file = path.join(repo.dir, 'tricky.yaml');
	await writeCrlfYaml(file, trickyAnswers());
	for (const answers of [EXAMPLE, file]) {
		const applied = await runCli(['apply', answers, '--store', 'embedded'], {cwd: repo.dir});
		expect(applied.exitCode).toBe(0);
		localTask = /^task (\S+): /m.exec(String(applied.stdout))![1]!;
	}
});

afterEach(async () => repo.cleanup());

const push = (env: Record<string, string> = {}, flags: readonly string[] = []) =>
	runCli(['push', '--engram', FAKE_ENGRAM, ...flags], {
		cwd: repo.dir,
		env: {FAKE_ENGRAM_LOG: log, ...env},
	});

const creates = async () => (await fakeCalls(log)).filter(call => call.argv[1] === 'create');
const pushMap = async () =>
	JSON.parse(await readFile(path.join(repo.dir, '.engram-design', 'push-map.json'), 'utf8')) as {
		targets: Record<string, {ids: Record<string, string>; pending?: string}>;
	};

/** `show` of a task on both sides must print the same markdown. */
async function expectSameDesign(local: string, engram: string) {
	const options = {cwd: repo.dir, stripFinalNewline: false} as const;
	const fromLocal = await runCli(['show', local, '--store', 'embedded'], options);
	const fromEngram = await runCli(['show', engram, '--engram', FAKE_ENGRAM], options);
	expect(fromLocal.exitCode).toBe(0);
	expect(fromEngram.stderr).toBe('');
	expect(fromEngram.stdout).toBe(fromLocal.stdout);
}

test('push replays every entity once; a second push creates nothing', async () => {
	const first = await push();
	expect(first.stderr).toBe('');
	expect(first.exitCode).toBe(0);
	const made = await creates();
	expect(made).toHaveLength(ENTITIES);
	expect(made.every(call => call.outcome === 'ok')).toBe(true);
	// Tasks, then contexts, then reasonings, then links.
	expect(made.map(call => call.argv[0])).toEqual([
		'task',
		...Array(4).fill('context'),
		...Array(6).fill('reasoning'),
		...Array(10).fill('relationship'),
	]);
	const lines = String(first.stdout).split('\n');
	expect(lines.filter(line => line.startsWith('created '))).toHaveLength(ENTITIES);
	expect(lines.at(-1)).toMatch(new RegExp(`^${ENTITIES} created, 0 already in engram `));

	const second = await push();
	expect(second.exitCode).toBe(0);
	expect(await creates()).toHaveLength(ENTITIES);
	expect(String(second.stdout).split('\n').at(-1)).toMatch(
		new RegExp(`^0 created, ${ENTITIES} already in engram `),
	);

	// Links and reasonings point at Engram's ids: the designs read back the same.
	const {ids} = Object.values((await pushMap()).targets)[0]!;
	expect(Object.keys(ids)).toHaveLength(ENTITIES);
	await expectSameDesign(localTask, ids[localTask]!);
	await expectSameDesign(EXAMPLE_TASK, EXAMPLE_TASK);
	const listed = await runCli(['list', '--engram', FAKE_ENGRAM], {cwd: repo.dir});
	expect(
		String(listed.stdout)
			.split('\n')
			.map(line => line.replace(/ .*(?=  \w\w$)/, '')),
	).toEqual(['Editor  AP', 'Collaborative  AP']);
});

test('a push stopped by an engram failure continues where it stopped', async () => {
	const failed = await push({FAKE_ENGRAM_FAIL_AT: '3'});
	expect(failed.exitCode).toBe(1);
	expect(failed.stderr).toContain('Git operation failed: injected failure');
	expect(String(failed.stdout).split('\n').filter(Boolean)).toHaveLength(2);
	const map = Object.values((await pushMap()).targets)[0]!;
	expect(Object.keys(map.ids)).toHaveLength(2);

	const again = await push();
	expect(again.exitCode).toBe(0);
	expect(again.stderr).toContain('the last push stopped while creating');
	const made = await creates();
	expect(made.filter(call => call.outcome === 'ok')).toHaveLength(ENTITIES);
	expect(made.filter(call => call.outcome === 'fail')).toHaveLength(1);
	const {ids} = Object.values((await pushMap()).targets)[0]!;
	await expectSameDesign(localTask, ids[localTask]!);
});

// Known gap: the map is written after engram answers, so an entity engram made just before
// the push was killed is made again; the next push only warns that this may have happened.
test.fails('a push killed after engram made an entity makes that entity once', async () => {
	const killed = await push({FAKE_ENGRAM_DIE_AT: '2'});
	expect(killed.exitCode).toBe(1);
	expect(killed.stderr).toContain('engram context create was killed by SIGKILL');
	const again = await push();
	expect(again.exitCode).toBe(0);
	expect(again.stderr).toContain('the last push stopped while creating');
	const contexts = (await creates()).filter(call => call.argv[0] === 'context' && call.id);
	expect(contexts).toHaveLength(4);
});

test('push refuses --store embedded and a missing engram binary with exit 2', async () => {
	const embedded = await runCli(['push', '--store', 'embedded'], {cwd: repo.dir});
	expect(embedded.exitCode).toBe(2);
	expect(embedded.stderr).toContain('push copies the embedded store into engram');
	const missing = await runCli(['push'], {
		cwd: repo.dir,
		env: {PATH: path.dirname(process.execPath), ENGRAM_BIN: ''},
	});
	expect(missing.exitCode).toBe(2);
	expect(missing.stderr).toBe(
		'engram-design: push: the engram binary is needed; pass --engram PATH or set ENGRAM_BIN\n'.trimEnd(),
	);
});

test('push of an empty store says so and creates nothing', async () => {
	const result = await push({}, ['--data-dir', 'elsewhere']);
	expect(result.exitCode).toBe(0);
	expect(result.stderr).toMatch(/elsewhere is empty; nothing to push$/);
	expect(await creates()).toEqual([]);
});

test('push waits for no one: a live lock refuses, a dead one is taken over', async () => {
	const lock = path.join(repo.dir, '.engram-design', 'push.lock');
	await writeFile(lock, `${process.pid}\n`);
	const refused = await push();
	expect(refused.exitCode).toBe(1);
	expect(refused.stderr).toContain(`another push (process ${process.pid}) is running`);
	expect(await creates()).toEqual([]);

	await writeFile(lock, '2147483646\n');
	const taken = await push();
	expect(taken.exitCode).toBe(0);
	expect(await creates()).toHaveLength(ENTITIES);
});
