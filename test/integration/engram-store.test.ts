import {existsSync} from 'node:fs';
import {chmod, mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {EngramStore, findEngram, repoRoot} from '../../src/engram.js';
import {StoreError, type NewContext, type NewReasoning, type NewTask} from '../../src/store.js';

const FAKE = fileURLToPath(new URL('../fake-engram/engram', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
let repo: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'engram-store-test-'));
	repo = path.join(dir, 'repo');
	await mkdir(repo);
	await execa('git', ['init', '-q'], {cwd: repo});
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

/** An executable that runs the fake with extra environment variables. */
async function fakeWith(env: Record<string, string>): Promise<string> {
	const file = path.join(dir, `engram-${Object.keys(env).join('-') || 'plain'}`);
	const exports = Object.entries(env).map(([key, value]) => `export ${key}='${value}'`);
	await writeFile(file, `#!/bin/sh\n${exports.join('\n')}\nexec '${FAKE}' "$@"\n`, {mode: 0o755});
	return file;
}

/** The entity as the fake stored it, or undefined. */
async function stored(type: string, id: string): Promise<Record<string, unknown> | undefined> {
	const file = path.join(repo, '.git', 'fake-engram', type, `${id}.json`);
	if (!existsSync(file)) return undefined;
	return JSON.parse(await readFile(file, 'utf8')).data;
}

type LogLine = {
	argv: string[];
	start: number;
	end: number;
	id: string | null;
	outcome: string;
};

async function readLog(file: string): Promise<LogLine[]> {
	const text = await readFile(file, 'utf8');
	return text
		.trim()
		.split('\n')
		.map(line => JSON.parse(line));
}

const task = (title: string): NewTask => ({
	title,
	description: '',
	priority: 'high',
	agent: 'architect',
	tags: ['system-design', 'editor'],
});

const context = (title: string, content: string): NewContext => ({
	title,
	content,
	source: 'system-design',
	tags: ['system-design', 'requirements', 'editor'],
	agent: 'architect',
});

const reasoning = (taskId: string, content: string, confidence = 0.85): NewReasoning => ({
	title: 'CAP Analysis: Editor',
	content,
	taskId,
	confidence,
	tags: ['system-design', 'cap-theorem', 'editor'],
	agent: 'architect',
});

/** About 1 MiB of markdown mixing ASCII and multi-byte text, one line per item. */
function bigMarkdown(): string {
	const lines: string[] = ['# Big artifact', ''];
	let size = 0;
	for (let index = 0; size < 1024 * 1024; index++) {
		const line = `- item ${index}: é 設計 👩‍💻 שלום — ${'x'.repeat(index % 50)}`;
		lines.push(line);
		size += Buffer.byteLength(line) + 1;
	}
	return `${lines.join('\n')}\n`;
}

describe('EngramStore against the fake engram', () => {
	test('describe names the version, the binary and the repository', async () => {
		const store = new EngramStore({bin: FAKE, repo});
		expect(await store.describe()).toBe(`engram 0.6.3 at ${FAKE}, store in ${repo}`);
	});

	test('values that start with a dash reach engram unchanged', async () => {
		const log = path.join(dir, 'log.jsonl');
		const store = new EngramStore({bin: await fakeWith({FAKE_ENGRAM_LOG: log}), repo});
		const taskId = await store.createTask({
			...task('--title'),
			description: '-d with one line',
			agent: '-agent',
		});
		expect(taskId).toMatch(UUID);
		expect(await stored('task', taskId)).toMatchObject({
			title: '--title',
			description: '-d with one line',
			agent: '-agent',
			priority: 'high',
			tags: ['system-design', 'editor'],
		});
		const contextId = await store.createContext({
			...context('- leading dash', '- item\n- another\n'),
			source: '-source',
		});
		expect(await stored('context', contextId)).toMatchObject({
			title: '- leading dash',
			content: '- item\n- another\n',
			source: '-source',
		});
		const reasoningId = await store.createReasoning(reasoning('-0', '-0.5 is not a flag'));
		expect(await stored('reasoning', reasoningId)).toMatchObject({
			task_id: '-0',
			conclusion: '-0.5 is not a flag',
			confidence: 0.85,
		});
		// Every user value travels as one --flag=value element.
		const [taskCall] = await readLog(log);
		expect(taskCall?.argv).toEqual([
			'task',
			'create',
			'--title=--title',
			'--description=-d with one line',
			'--priority=high',
			'--agent=-agent',
			'--tags=system-design,editor',
			'--output=json',
		]);
	});

	test('unicode arrives byte for byte', async () => {
		const store = new EngramStore({bin: FAKE, repo});
		const title = 'Système 設計 👩🏽‍💻 e\u0301 مرحبا עברית';
		const content =
			'## 設計\n\n- emoji 🎉👨‍👩‍👧\n- combining a\u0308o\u0301\n' + '- RTL \u202bשלום\u202c عربى\n';
		const contextId = await store.createContext(context(title, content));
		expect(await stored('context', contextId)).toMatchObject({title, content});
		const taskId = await store.createTask({...task(title), description: content});
		expect(await stored('task', taskId)).toMatchObject({title, description: content});
	});

	test('a 1 MiB content and a long multi-line title pass through files', async () => {
		const log = path.join(dir, 'log.jsonl');
		const store = new EngramStore({bin: await fakeWith({FAKE_ENGRAM_LOG: log}), repo});
		const content = bigMarkdown();
		expect(Buffer.byteLength(content)).toBeGreaterThan(1024 * 1024);
		const title = `Line one\nline two ${'t'.repeat(150 * 1024)}`;
		const contextId = await store.createContext(context(title, content));
		const saved = await stored('context', contextId);
		expect(saved?.['content'] === content).toBe(true);
		expect(saved?.['title'] === title).toBe(true);
		const reasoningId = await store.createReasoning(reasoning('task-1', content));
		expect((await stored('reasoning', reasoningId))?.['conclusion'] === content).toBe(true);
		// The temporary files are gone once the call is over.
		const files = (await readLog(log))
			.flatMap(line => line.argv)
			.filter(arg => /^--(content|title)-file=/.test(arg))
			.map(arg => arg.slice(arg.indexOf('=') + 1));
		expect(files).toHaveLength(3);
		for (const file of files) expect(existsSync(file)).toBe(false);
	});

	test('ids are read from each create and match what engram made', async () => {
		const log = path.join(dir, 'log.jsonl');
		const store = new EngramStore({bin: await fakeWith({FAKE_ENGRAM_LOG: log}), repo});
		const taskId = await store.createTask(task('Design: Editor'));
		const contextId = await store.createContext(context('Requirements', 'body'));
		const reasoningId = await store.createReasoning(reasoning(taskId, 'CP'));
		const linkId = await store.createLink({
			sourceId: taskId,
			sourceType: 'task',
			targetId: contextId,
			targetType: 'context',
			type: 'references',
			agent: 'architect',
		});
		const logged = (await readLog(log)).map(line => line.id);
		expect([taskId, contextId, reasoningId, linkId]).toEqual(logged);
		for (const id of logged) expect(id).toMatch(UUID);
		expect(await stored('relationship', linkId)).toMatchObject({
			source_id: taskId,
			source_type: 'task',
			target_id: contextId,
			target_type: 'context',
			relationship_type: 'References',
			agent: 'architect',
		});
	});

	test('tasks, entities and links read back', async () => {
		const store = new EngramStore({bin: FAKE, repo});
		const taskId = await store.createTask(task('Design: Editor'));
		const content = '# Requirements\n\nTags: a,b\n\n- one\n';
		const contextId = await store.createContext(context('System Requirements: Editor', content));
		const reasoningId = await store.createReasoning(reasoning(taskId, '## CP\n\nWhy.\n', 0.7));
		await store.createLink({
			sourceId: taskId,
			sourceType: 'task',
			targetId: contextId,
			targetType: 'context',
			type: 'references',
			agent: 'architect',
		});
		await store.createLink({
			sourceId: taskId,
			sourceType: 'task',
			targetId: reasoningId,
			targetType: 'reasoning',
			type: 'documents',
			agent: 'architect',
		});

		expect(await store.listTasks('architect')).toEqual([
			{id: taskId.slice(0, 8), title: 'Design: Editor', agent: 'architect'},
		]);
		expect(await store.listTasks('default')).toEqual([]);
		const found = {id: taskId, title: 'Design: Editor', agent: 'architect'};
		expect(await store.findTask(taskId)).toEqual(found);
		expect(await store.findTask(taskId.slice(0, 8))).toEqual(found);
		expect(await store.findTask('ffffffff')).toBeUndefined();

		expect(await store.showEntity('context', contextId)).toMatchObject({
			id: contextId,
			kind: 'context',
			title: 'System Requirements: Editor',
			content,
		});
		expect(await store.showEntity('reasoning', reasoningId)).toMatchObject({
			id: reasoningId,
			kind: 'reasoning',
			title: 'CAP Analysis: Editor',
			content: '## CP\n\nWhy.\n',
			taskId,
			confidence: 0.7,
		});
		expect(await store.showEntity('context', reasoningId)).toBeUndefined();

		expect((await store.connected(taskId)).sort()).toEqual([contextId, reasoningId].sort());
		expect(await store.taskLinks(taskId)).toEqual(
			expect.arrayContaining([
				{
					direction: 'out',
					type: 'references',
					id: contextId,
					kind: 'context',
					title: 'System Requirements: Editor',
				},
				{
					direction: 'out',
					type: 'documents',
					id: reasoningId,
					kind: 'reasoning',
					title: 'CAP Analysis: Editor',
				},
			]),
		);
	});

	test('calls run one at a time', async () => {
		const log = path.join(dir, 'log.jsonl');
		const bin = await fakeWith({FAKE_ENGRAM_LOG: log, FAKE_ENGRAM_DELAY_MS: '150'});
		const store = new EngramStore({bin, repo});
		const calls = [1, 2, 3, 4, 5].map(n => store.createContext(context(`C${n}`, 'x')));
		const ids = await Promise.all(calls);
		const lines = await readLog(log);
		expect(lines.map(line => line.id)).toEqual(ids);
		for (let index = 1; index < lines.length; index++) {
			const previous = lines[index - 1];
			const current = lines[index];
			expect(current && previous && current.start >= previous.end).toBe(true);
		}
	});

	test('a failed call does not stop the ones queued after it', async () => {
		const store = new EngramStore({bin: FAKE, repo});
		const results = await Promise.allSettled([
			store.createReasoning(reasoning('t', 'x', 1.5)),
			store.createContext(context('After', 'x')),
		]);
		expect(results[0]?.status).toBe('rejected');
		expect(results[1]?.status).toBe('fulfilled');
	});
});

describe('EngramStore errors', () => {
	async function failure(promise: Promise<unknown>): Promise<StoreError> {
		const error = await promise.then(
			() => undefined,
			(reason: unknown) => reason,
		);
		expect(error).toBeInstanceOf(StoreError);
		return error as StoreError;
	}

	test('a missing binary', async () => {
		const bin = path.join(dir, 'no-such-engram');
		const error = await failure(new EngramStore({bin, repo}).describe());
		expect(error.message).toBe(`engram was not found at ${bin}`);
	});

	test('a file that is not executable', async () => {
		const bin = path.join(dir, 'engram');
		await writeFile(bin, '#!/bin/sh\necho engram 0.6.3\n');
		await chmod(bin, 0o644);
		const error = await failure(new EngramStore({bin, repo}).describe());
		expect(error.message).toBe(`engram at ${bin} is not executable`);
	});

	test('a repository folder that does not exist', async () => {
		const missing = path.join(dir, 'gone');
		const error = await failure(new EngramStore({bin: FAKE, repo: missing}).describe());
		expect(error.message).toBe(`engram --version was not run: ${missing} is not a folder`);
	});

	test("engram's own error, first line in the message and all of stderr in detail", async () => {
		const store = new EngramStore({bin: await fakeWith({FAKE_ENGRAM_FAIL_AT: '2'}), repo});
		await store.createContext(context('First', 'x'));
		const error = await failure(store.createContext(context('Second', 'x')));
		expect(error.message).toBe(
			'engram context create failed: Error: Git operation failed: injected failure',
		);
		expect(error.detail).toBe('Error: Git operation failed: injected failure\n');
	});

	test('a validation error from engram', async () => {
		const store = new EngramStore({bin: FAKE, repo});
		const error = await failure(store.createReasoning(reasoning('t', 'x', 1.5)));
		expect(error.message).toBe(
			'engram reasoning create failed: ' +
				'Error: Entity validation error: Confidence must be between 0.0 and 1.0',
		);
	});

	test('success without an id', async () => {
		const store = new EngramStore({bin: await fakeWith({FAKE_ENGRAM_NO_ID: '1'}), repo});
		expect((await failure(store.createContext(context('C', 'x')))).message).toBe(
			'engram context create printed no id',
		);
		expect((await failure(store.createTask(task('T')))).message).toBe(
			'engram task create printed no id',
		);
		const link = store.createLink({
			sourceId: 'a',
			sourceType: 'task',
			targetId: 'b',
			targetType: 'context',
			type: 'references',
			agent: 'x',
		});
		expect((await failure(link)).message).toBe('engram relationship create printed no id');
	});

	test('a call that hangs is stopped by the timeout', async () => {
		const bin = await fakeWith({FAKE_ENGRAM_HANG_AT: '1'});
		const store = new EngramStore({bin, repo, timeoutMs: 1500});
		const started = Date.now();
		const error = await failure(store.createContext(context('C', 'x')));
		expect(error.message).toBe('engram context create timed out after 1.5 seconds');
		expect(Date.now() - started).toBeLessThan(8000);
	});

	test('a call killed by a signal', async () => {
		const store = new EngramStore({bin: await fakeWith({FAKE_ENGRAM_DIE_AT: '1'}), repo});
		const error = await failure(store.createContext(context('C', 'x')));
		expect(error.message).toBe('engram context create was killed by SIGKILL');
	});
});

describe('findEngram', () => {
	test('--engram wins, then ENGRAM_BIN, then PATH', async () => {
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		const onPath = path.join(bin, 'engram');
		await writeFile(onPath, '#!/bin/sh\n', {mode: 0o755});
		const env = {PATH: `/nonexistent${path.delimiter}${bin}`};
		expect(findEngram({env})).toBe(onPath);
		expect(findEngram({env: {...env, ENGRAM_BIN: '/opt/engram'}})).toBe('/opt/engram');
		expect(findEngram({engram: FAKE, env: {...env, ENGRAM_BIN: '/opt/engram'}})).toBe(FAKE);
	});

	test('a bare name is looked up on PATH', async () => {
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		const onPath = path.join(bin, 'engram-0.6');
		await writeFile(onPath, '#!/bin/sh\n', {mode: 0o755});
		expect(findEngram({engram: 'engram-0.6', env: {PATH: bin}})).toBe(onPath);
		expect(findEngram({env: {PATH: bin, ENGRAM_BIN: 'engram-0.6'}})).toBe(onPath);
		expect(findEngram({engram: 'missing', env: {PATH: bin}})).toBe(path.resolve('missing'));
	});

	test('skips files on PATH that are not executable', async () => {
		const bin = path.join(dir, 'bin');
		await mkdir(bin);
		await writeFile(path.join(bin, 'engram'), '#!/bin/sh\n', {mode: 0o644});
		expect(findEngram({env: {PATH: bin}})).toBeUndefined();
		expect(findEngram({env: {}})).toBeUndefined();
	});
});

describe('repoRoot', () => {
	test('finds the folder holding .git from anywhere below it', async () => {
		const deep = path.join(repo, 'a', 'b');
		await mkdir(deep, {recursive: true});
		expect(repoRoot(deep)).toBe(repo);
		expect(repoRoot(repo)).toBe(repo);
	});

	test('is undefined outside any repository', () => {
		expect(repoRoot(path.parse(dir).root)).toBeUndefined();
	});
});
