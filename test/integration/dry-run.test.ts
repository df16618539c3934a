import {existsSync} from 'node:fs';
import {mkdir, mkdtemp, readdir, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {heredoc} from '../../src/dry-run.js';
import {EXAMPLE, FAKE_ENGRAM, fakeCalls, runCli, tempRepo, type FakeCall} from '../helpers/cli.js';
import {trickyAnswers, writeCrlfYaml} from '../helpers/tricky.js';

const TASK = '0b1c2d3e-4f50-4617-8899-aabbccddeeff';
let work: string;

beforeEach(async () => {
	work = await mkdtemp(path.join(os.tmpdir(), 'engram-design-dry-run-'));
});

afterEach(async () => rm(work, {recursive: true, force: true}));

const isCreate = (call: FakeCall) => call.argv[1] === 'create';

/** Create calls with file paths and the ids made by earlier calls replaced by stable names. */
function normalise(calls: readonly FakeCall[]): string[][] {
	const names = new Map<string, string>();
	return calls.map((call, index) => {
		const argv = call.argv.map(arg => {
			const file = /^(--[a-z-]+-file=)/.exec(arg);
			if (file) return `${file[1]}<file>`;
			let text = arg;
			for (const [id, name] of names) text = text.replaceAll(id, name);
			return text;
		});
		if (call.id) names.set(call.id, `<id ${index + 1}>`);
		return argv;
	});
}

const unstable = new Set(['id', 'created_at', 'updated_at', 'start_time', 'timestamp']);

/** What the fake stored for each call, without ids and times. */
async function storedData(repo: string, calls: readonly FakeCall[]): Promise<unknown[]> {
	const ids = calls.map(call => call.id!);
	const rename = (value: unknown) =>
		typeof value === 'string' && ids.includes(value) ? `<id ${ids.indexOf(value) + 1}>` : value;
	return Promise.all(
		calls.map(async call => {
			const type = call.argv[0]!;
			const file = path.join(repo, '.git', 'fake-engram', type, `${call.id}.json`);
			const {data} = JSON.parse(await readFile(file, 'utf8')) as {data: Record<string, unknown>};
			const kept = Object.entries(data)
				.filter(([key]) => !unstable.has(key))
				.map(([key, value]) => [key, rename(value)]);
			return Object.fromEntries(kept);
		}),
	);
}

/** Runs apply in one repository and the dry-run script in another; returns both records. */
async function applyAndScript(answersFile: string, extra: readonly string[] = []) {
	const applyRepo = path.join(work, 'apply');
	const scriptRepo = path.join(work, 'script');
	for (const dir of [applyRepo, scriptRepo]) {
		await mkdir(dir);
		await execa('git', ['init', '-q'], {cwd: dir});
	}
	const env = {FAKE_ENGRAM_TASK_ID: TASK};
	const applyLog = path.join(work, 'apply.jsonl');
	const applied = await runCli(['apply', answersFile, '--engram', FAKE_ENGRAM, ...extra], {
		cwd: applyRepo,
		env: {...env, FAKE_ENGRAM_LOG: applyLog},
	});
	expect(applied.stderr).not.toMatch(/unexpected|Error/);
	expect(applied.exitCode).toBe(0);

	const dry = await runCli(['apply', answersFile, '--dry-run', ...extra], {cwd: work});
	expect(dry.stderr).toBe('');
	expect(dry.exitCode).toBe(0);
	const script = path.join(work, 'design.sh');
	await writeFile(script, String(dry.stdout));
	const scriptLog = path.join(work, 'script.jsonl');
	const ran = await execa('bash', [script], {
		cwd: scriptRepo,
		reject: false,
		env: {...env, ENGRAM: FAKE_ENGRAM, FAKE_ENGRAM_LOG: scriptLog},
	});
	expect(ran.stderr).toBe('');
	expect(ran.exitCode).toBe(0);

	const applyCalls = (await fakeCalls(applyLog)).filter(isCreate);
	const scriptCalls = (await fakeCalls(scriptLog)).filter(isCreate);
	return {applyRepo, scriptRepo, applyCalls, scriptCalls, script: String(dry.stdout), ran};
}

describe('apply --dry-run', () => {
	test('the script of the seed example makes what apply makes', async () => {
		const {applyCalls, scriptCalls, applyRepo, scriptRepo, script} = await applyAndScript(EXAMPLE);
		expect(scriptCalls.map(call => call.outcome)).toEqual(Array(10).fill('ok'));
		expect(normalise(scriptCalls)).toEqual(normalise(applyCalls));
		const stored = await storedData(scriptRepo, scriptCalls);
		expect(stored).toEqual(await storedData(applyRepo, applyCalls));
		// The task given by id is used as given; engram is never asked for JSON it cannot give.
		expect(script).toContain('TASK=a3f8b2c1-1234-5678-90ab-cdef12345678\n');
		expect(script).not.toMatch(/\bjq\b|--json\b/);
	});

	test('hostile text, CRLF and unicode arrive byte for byte, as apply sends them', async () => {
		const file = path.join(work, 'tricky.yaml');
		await writeCrlfYaml(file, trickyAnswers());
		const {applyCalls, scriptCalls, applyRepo, scriptRepo, script, ran} =
			await applyAndScript(file);
		expect(scriptCalls.map(call => call.argv.slice(0, 2).join(' '))).toEqual([
			'task create',
			'context create',
			'reasoning create',
			'reasoning create',
			'context create',
			'reasoning create',
			...Array(5).fill('relationship create'),
		]);
		expect(normalise(scriptCalls)).toEqual(normalise(applyCalls));
		const stored = await storedData(scriptRepo, scriptCalls);
		expect(stored).toEqual(await storedData(applyRepo, applyCalls));
		// The stored text still holds what the shell would have expanded, with LF line ends.
		const cap = stored[2] as {conclusion: string; title: string};
		expect(cap.conclusion).toContain('$(touch INJECTED) and `touch INJECTED` and ${HOME}');
		expect(cap.conclusion).toContain('\nENGRAM_DESIGN_EOF\n');
		expect(cap.conclusion).not.toContain('\r');
		expect(cap.title).toBe(
			`CAP Analysis: Editor 'quoted' "twice" $(touch INJECTED) \`id\` \\ 😀 設計 e\u0301`,
		);
		expect((stored[0] as {title: string}).title).toMatch(/^- dash-led task/);
		// A delimiter that is not a line of any content, and nothing ran that the text named.
		expect(script).toContain("<<'ENGRAM_DESIGN_EOF_2'");
		expect(existsSync(path.join(scriptRepo, 'INJECTED'))).toBe(false);
		expect(existsSync(path.join(work, 'INJECTED'))).toBe(false);
		expect(ran.stdout.split('\n').filter(line => line.startsWith('created '))).toHaveLength(11);
	});

	test('the script runs engram at the top of the repository around its folder', async () => {
		const {dir, cleanup} = await tempRepo();
		try {
			const dry = await runCli(['apply', EXAMPLE, '--dry-run']);
			const sub = path.join(dir, 'deep', 'er');
			await mkdir(sub, {recursive: true});
			const log = path.join(work, 'log.jsonl');
			const ran = await execa('bash', ['-c', String(dry.stdout)], {
				cwd: sub,
				env: {ENGRAM: FAKE_ENGRAM, FAKE_ENGRAM_LOG: log},
			});
			expect(ran.exitCode).toBe(0);
			const calls = await fakeCalls(log);
			expect(new Set(calls.map(call => call.cwd))).toEqual(new Set([dir]));
			expect(existsSync(path.join(sub, '.git'))).toBe(false);
		} finally {
			await cleanup();
		}
	});

	test('--repo makes the script run engram in that folder', async () => {
		const repo = path.join(work, 'chosen');
		await mkdir(repo);
		const dry = await runCli(['apply', EXAMPLE, '--dry-run', '--repo', 'chosen'], {cwd: work});
		expect(dry.stdout).toContain(`cd -- ${repo}\n`);
	});

	test('a failing engram call stops the script: non-zero exit and nothing after it', async () => {
		const {dir, cleanup} = await tempRepo();
		const tmp = path.join(work, 'tmp');
		await mkdir(tmp);
		try {
			const dry = await runCli(['apply', EXAMPLE, '--dry-run']);
			const log = path.join(work, 'log.jsonl');
			const ran = await execa('bash', ['-c', String(dry.stdout)], {
				cwd: dir,
				reject: false,
				env: {ENGRAM: FAKE_ENGRAM, FAKE_ENGRAM_LOG: log, FAKE_ENGRAM_FAIL_AT: '3', TMPDIR: tmp},
			});
			expect(ran.exitCode).not.toBe(0);
			expect(ran.stderr).toContain('Error: Git operation failed: injected failure');
			const calls = await fakeCalls(log);
			expect(calls.map(call => call.outcome)).toEqual(['ok', 'ok', 'fail']);
			expect(ran.stdout.split('\n').filter(Boolean)).toHaveLength(2);
			// The folder of content files is removed on the way out.
			expect(await readdir(tmp)).toEqual([]);
		} finally {
			await cleanup();
		}
	});

	test('an engram that prints no id stops the script with a message', async () => {
		const {dir, cleanup} = await tempRepo();
		try {
			const dry = await runCli(['apply', EXAMPLE, '--dry-run']);
			const log = path.join(work, 'log.jsonl');
			const ran = await execa('bash', ['-c', String(dry.stdout)], {
				cwd: dir,
				reject: false,
				env: {ENGRAM: FAKE_ENGRAM, FAKE_ENGRAM_LOG: log, FAKE_ENGRAM_NO_ID: '1'},
			});
			expect(ran.exitCode).toBe(1);
			expect(ran.stderr).toBe('engram-design: engram context create printed no id; stopping here');
			expect(await fakeCalls(log)).toHaveLength(1);
		} finally {
			await cleanup();
		}
	});

	test('an invalid answers file gives no script and exit 2', async () => {
		const file = path.join(work, 'bad.json');
		await writeFile(file, JSON.stringify({...trickyAnswers(), cap: {}}));
		const dry = await runCli(['apply', file, '--dry-run']);
		expect(dry.exitCode).toBe(2);
		expect(dry.stdout).toBe('');
		expect(dry.stderr).toContain('cap.');
	});
});

describe('heredoc', () => {
	test.each([
		['empty', ''],
		['no final newline', 'a'],
		['one final newline', 'a\n'],
		['only newlines', '\n\n'],
		['the delimiter as last line', 'x\nENGRAM_DESIGN_EOF'],
		['delimiter-like lines', 'ENGRAM_DESIGN_EOF\nENGRAM_DESIGN_EOF_1 \n ENGRAM_DESIGN_EOF_2\n'],
		['CR and CRLF', 'a\r\nb\rc\r'],
		['shell syntax', '$(echo x) `echo y` ${z} \'"\\\n\\'],
	])('writes %s byte for byte', async (_name, text) => {
		const file = path.join(work, 'out.txt');
		const script = heredoc(`'${file}'`, text).join('\n');
		await execa('bash', ['-euo', 'pipefail', '-c', script]);
		expect(await readFile(file, 'utf8')).toBe(text);
	});
});
