import {writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import stringWidth from 'string-width';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {answersSchema, type Answers} from '../../src/answers.js';
import {capChoiceOf} from '../../src/list.js';
import {artifactOf} from '../../src/show.js';
import {steps} from '../../steps/index.js';
import {EXAMPLE, FAKE_ENGRAM, runCli, tempRepo} from '../helpers/cli.js';
import {trickyAnswers, writeCrlfYaml} from '../helpers/tricky.js';
import {example, rawExample} from '../unit/example.js';

const EXAMPLE_TASK = 'a3f8b2c1-1234-5678-90ab-cdef12345678';
let repo: {dir: string; cleanup: () => Promise<void>};

beforeEach(async () => {
	repo = await tempRepo();
});

afterEach(async () => repo.cleanup());

const stores = [
	['engram', ['--engram', FAKE_ENGRAM]],
	['embedded', ['--store', 'embedded']],
] as const;

/** The markdown `show` must print for a design: each artifact's content, a blank line between. */
const expectedShow = (answers: Answers) =>
	steps.map(step => step.entity(answers, 'any').content).join('\n');

async function apply(file: string, flags: readonly string[]): Promise<string> {
	const result = await runCli(['apply', file, ...flags], {cwd: repo.dir});
	expect(result.stderr).not.toMatch(/Error|failed/);
	expect(result.exitCode).toBe(0);
	const taskId = /^task (\S+): /m.exec(String(result.stdout))?.[1];
	expect(taskId).toBeDefined();
	return taskId!;
}

async function trickyFile(change: (raw: Record<string, any>) => void = () => {}) {
	const raw = trickyAnswers();
	change(raw);
	const file = path.join(repo.dir, 'tricky.yaml');
	await writeCrlfYaml(file, raw);
	return {file, answers: answersSchema.parse(raw)};
}

test('each step title starts with the prefix show and list recognise', () => {
	for (const step of steps) {
		const entity = step.entity(example(), 'any');
		expect(artifactOf(entity.title)).toEqual({step: step.id, system: example().system});
	}
	expect(artifactOf('Scalability notes: X')).toBeUndefined();
});

test.each([
	['AP', 'AP'],
	['CP', 'CP'],
	['CA', 'CA'],
])('the CAP choice %s is read back from the stored CAP analysis', (choice, read) => {
	const raw = rawExample();
	const answers = answersSchema.parse({...raw, cap: {...(raw['cap'] as object), choice}});
	const cap = steps[1]!.entity(answers, 'any');
	expect(capChoiceOf(cap.content)).toBe(read);
});

describe.each(stores)('show on the %s store', (_kind, flags) => {
	test('reproduces the markdown apply stored, byte for byte', async () => {
		await apply(EXAMPLE, flags);
		const result = await runCli(['show', EXAMPLE_TASK, ...flags], {cwd: repo.dir});
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toBe(expectedShow(example()).replace(/\n$/, ''));
	});

	test('reproduces hostile text and unicode, for a task given by a prefix of its id', async () => {
		const {file, answers} = await trickyFile();
		const taskId = await apply(file, flags);
		const result = await runCli(['show', taskId.slice(0, 8), ...flags], {
			cwd: repo.dir,
			stripFinalNewline: false,
		});
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toBe(expectedShow(answers));
	});

	test('an unknown task is one sentence and exit 1', async () => {
		await apply(EXAMPLE, flags);
		const result = await runCli(['show', 'deadbeef', ...flags], {cwd: repo.dir});
		expect(result.exitCode).toBe(1);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(
			/^engram-design: task deadbeef was not found in the store \(.*\)$/,
		);
	});

	test.each([['-x'], ['has space'], ['']])('a malformed id %j is exit 2', async id => {
		const result = await runCli(['show', ...flags, '--', id], {cwd: repo.dir});
		expect(result.exitCode).toBe(2);
		expect(result.stderr).toMatch(/^engram-design: show: .* is not a task id/);
	});

	test('list shows each design once, newest first, with its CAP choice', async () => {
		await apply(EXAMPLE, flags);
		const {file} = await trickyFile(raw => void (raw['cap'].choice = 'CP'));
		const taskId = await apply(file, flags);
		const result = await runCli(['list', ...flags], {cwd: repo.dir});
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		const lines = String(result.stdout).split('\n');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(
			new RegExp(
				`^Editor 'quoted' .* 設計 e\u0301  ${taskId}  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC  CP$`,
			),
		);
		expect(lines[1]).toMatch(
			new RegExp(
				`^Collaborative Document Editor +  ${EXAMPLE_TASK}  [-\\d]{10} [:\\d]{5} UTC  AP$`,
			),
		);
		// Padded so that the task ids line up, counting wide characters twice.
		const column = (line: string, id: string) => stringWidth(line.slice(0, line.indexOf(id)));
		expect(column(lines[0]!, taskId)).toBe(column(lines[1]!, EXAMPLE_TASK));
	});

	test('list of an empty store prints nothing and says so on stderr', async () => {
		const result = await runCli(['list', ...flags], {cwd: repo.dir});
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^engram-design: no designs in the store/);
	});
});

test('show says when a task holds no design, exit 1', async () => {
	const created = await execa(FAKE_ENGRAM, ['task', 'create', '--title=Plain task'], {
		cwd: repo.dir,
	});
	const taskId = /^ {2}ID: (\S+)$/m.exec(created.stdout)![1]!;
	const result = await runCli(['show', taskId, '--engram', FAKE_ENGRAM], {cwd: repo.dir});
	expect(result.exitCode).toBe(1);
	expect(result.stderr).toContain(`task ${taskId} has no design linked to it`);
});

test('show prints two designs linked to one task one after the other', async () => {
	await apply(EXAMPLE, ['--store', 'embedded']);
	const raw = rawExample();
	raw['system'] = 'Second System';
	raw['slug'] = 'second';
	const file = path.join(repo.dir, 'second.json');
	await writeFile(file, JSON.stringify(raw));
	await apply(file, ['--store', 'embedded']);
	const result = await runCli(['show', EXAMPLE_TASK, '--store', 'embedded'], {
		cwd: repo.dir,
		stripFinalNewline: false,
	});
	expect(result.stdout).toBe(
		`${expectedShow(example())}\n${expectedShow(answersSchema.parse(raw))}`,
	);
});
