import {appendFile, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {EmbeddedStore} from '../../src/embedded.js';
import {StoreError} from '../../src/store.js';
import {runCli} from '../helpers/cli.js';
import {rawExample} from './example.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let dir: string;
let store: EmbeddedStore;

beforeEach(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'embedded-test-'));
	store = new EmbeddedStore({dir: path.join(dir, 'data')});
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

async function fill(target: EmbeddedStore) {
	const taskId = await target.createTask({
		title: 'Design: Editor',
		description: 'The whole design',
		priority: 'high',
		agent: 'architect',
		tags: ['system-design', 'editor'],
	});
	const contextId = await target.createContext({
		title: 'System Requirements: Editor',
		content: '# Requirements\n\n- 設計 👩‍💻 e\u0301\n',
		source: 'system-design',
		tags: ['system-design', 'requirements', 'editor'],
		agent: 'architect',
	});
	const reasoningId = await target.createReasoning({
		title: 'CAP Analysis: Editor',
		content: '## CP\n',
		taskId,
		confidence: 0.85,
		tags: ['system-design', 'cap-theorem', 'editor'],
		agent: 'architect',
	});
	const linkId = await target.createLink({
		sourceId: taskId,
		sourceType: 'task',
		targetId: contextId,
		targetType: 'context',
		type: 'references',
		agent: 'architect',
	});
	return {taskId, contextId, reasoningId, linkId};
}

describe('EmbeddedStore', () => {
	test('describe names the folder', async () => {
		expect(await store.describe()).toBe(`embedded store in ${path.join(dir, 'data')}`);
	});

	test('an empty store reads as empty and creates nothing', async () => {
		expect(await store.tasks()).toEqual([]);
		expect(await store.entities()).toEqual([]);
		expect(await store.listTasks('architect')).toEqual([]);
		expect(await store.findTask('anything')).toBeUndefined();
	});

	test('what is written reads back, from this instance and a new one', async () => {
		const ids = await fill(store);
		for (const id of Object.values(ids)) expect(id).toMatch(UUID);
		const again = new EmbeddedStore({dir: path.join(dir, 'data')});
		for (const target of [store, again]) {
			expect(await target.tasks()).toEqual([
				{
					id: ids.taskId,
					title: 'Design: Editor',
					description: 'The whole design',
					priority: 'high',
					agent: 'architect',
					tags: ['system-design', 'editor'],
					created: expect.any(String),
				},
			]);
			expect(await target.entities()).toEqual([
				{
					id: ids.contextId,
					kind: 'context',
					title: 'System Requirements: Editor',
					content: '# Requirements\n\n- 設計 👩‍💻 e\u0301\n',
					createdAt: expect.any(String),
				},
				{
					id: ids.reasoningId,
					kind: 'reasoning',
					title: 'CAP Analysis: Editor',
					content: '## CP\n',
					taskId: ids.taskId,
					confidence: 0.85,
					createdAt: expect.any(String),
				},
			]);
			expect(await target.links()).toEqual([
				{
					id: ids.linkId,
					sourceId: ids.taskId,
					sourceType: 'task',
					targetId: ids.contextId,
					targetType: 'context',
					type: 'references',
					agent: 'architect',
					created: expect.any(String),
				},
			]);
			const summary = {id: ids.taskId, title: 'Design: Editor', agent: 'architect'};
			expect(await target.listTasks('architect')).toEqual([summary]);
			expect(await target.listTasks('default')).toEqual([]);
			expect(await target.findTask(ids.taskId)).toEqual(summary);
			expect(await target.findTask(ids.taskId.slice(0, 6))).toEqual(summary);
			expect(await target.showEntity(ids.reasoningId)).toMatchObject({kind: 'reasoning'});
			expect(await target.showEntity(ids.taskId)).toBeUndefined();
			expect(target.warnings()).toEqual([]);
		}
	});

	test('one record per line, fields as Engram names them', async () => {
		await fill(store);
		const lines = (await readFile(store.file, 'utf8')).split('\n');
		expect(lines.at(-1)).toBe('');
		const kinds = lines.slice(0, -1).map(line => JSON.parse(line).kind);
		expect(kinds).toEqual(['task', 'context', 'reasoning', 'relationship']);
	});

	test('refuses what Engram refuses', async () => {
		const reasoning = {
			title: 'R',
			content: '',
			taskId: 't',
			tags: [],
			agent: 'a',
		};
		await expect(store.createReasoning({...reasoning, confidence: 1.5})).rejects.toThrow(
			StoreError,
		);
		await expect(store.createReasoning({...reasoning, confidence: Number.NaN})).rejects.toThrow(
			StoreError,
		);
		await expect(
			store.createLink({
				sourceId: 'x',
				sourceType: 'task',
				targetId: 'x',
				targetType: 'context',
				type: 'references',
				agent: 'a',
			}),
		).rejects.toThrow(StoreError);
	});

	test('a torn last line is ignored, and a record written after it is kept', async () => {
		const {taskId} = await fill(store);
		await appendFile(store.file, '{"v":1,"kind":"context","data":{"id":"cut-off","tit');
		expect((await store.entities()).map(entity => entity.id)).not.toContain('cut-off');
		expect(store.warnings()).toHaveLength(1);
		expect(store.warnings()[0]).toMatch(/ends with an incomplete record/);
		const laterId = await store.createTask({
			title: 'Later',
			description: '',
			priority: 'low',
			agent: 'architect',
			tags: [],
		});
		expect((await store.tasks()).map(task => task.id)).toEqual([taskId, laterId]);
		expect(store.warnings()).toHaveLength(1);
		expect(store.warnings()[0]).toMatch(/line 5 starts with a cut-off record/);
	});

	test('findEntity matches every field, from since on; a link whenever it was made', async () => {
		const ids = await fill(store);
		const context = {
			title: 'System Requirements: Editor',
			content: '# Requirements\n\n- 設計 👩‍💻 e\u0301\n',
			source: 'system-design',
			tags: ['system-design', 'requirements', 'editor'],
			agent: 'architect',
		};
		expect(await store.findEntity({kind: 'context', value: context})).toBe(ids.contextId);
		for (const change of [{title: 'Other'}, {content: 'Other'}, {agent: 'other'}, {tags: []}]) {
			expect(
				await store.findEntity({kind: 'context', value: {...context, ...change}}),
			).toBeUndefined();
		}

		const later = new Date(Date.now() + 60_000).toISOString();
		expect(await store.findEntity({kind: 'context', value: context, since: later})).toBeUndefined();
		const again = await store.createContext(context);
		const before = new Date(Date.now() - 60_000).toISOString();
		expect(await store.findEntity({kind: 'context', value: context, since: before})).toBe(again);

		const reasoning = {
			title: 'CAP Analysis: Editor',
			content: '## CP\n',
			taskId: ids.taskId,
			confidence: 0.85,
			tags: ['system-design', 'cap-theorem', 'editor'],
			agent: 'architect',
		};
		expect(await store.findEntity({kind: 'reasoning', value: reasoning})).toBe(ids.reasoningId);
		expect(
			await store.findEntity({kind: 'reasoning', value: {...reasoning, taskId: 'x'}}),
		).toBeUndefined();
		const task = {
			title: 'Design: Editor',
			description: 'The whole design',
			priority: 'high',
			agent: 'architect',
			tags: ['system-design', 'editor'],
		};
		expect(await store.findEntity({kind: 'task', value: task})).toBe(ids.taskId);
		expect(await store.findEntity({kind: 'task', value: task, since: later})).toBeUndefined();
		const link = {
			sourceId: ids.taskId,
			sourceType: 'task' as const,
			targetId: ids.contextId,
			targetType: 'context' as const,
			type: 'references' as const,
			agent: 'architect',
		};
		expect(await store.findEntity({kind: 'link', value: link, since: later})).toBe(ids.linkId);
		expect(
			await store.findEntity({kind: 'link', value: {...link, type: 'documents'}}),
		).toBeUndefined();
	});

	test('a corrupt line in the middle is skipped and counted', async () => {
		await fill(store);
		const lines = (await readFile(store.file, 'utf8')).split('\n');
		lines.splice(1, 0, 'not json at all', '{"v":1,"kind":"task","data":{"id":1}}');
		await writeFile(store.file, lines.join('\n'));
		expect(await store.tasks()).toHaveLength(1);
		expect(await store.entities()).toHaveLength(2);
		expect(store.warnings()).toEqual([
			`${store.file} line 2 is not a valid record; it was skipped`,
			`${store.file} line 3 is not a valid record; it was skipped`,
		]);
	});
});

describe('EmbeddedStore across processes', () => {
	test('two processes appending 200 records each at the same time lose nothing', async () => {
		const script = path.join(dir, 'append.mjs');
		await build({
			stdin: {
				contents: [
					"import {EmbeddedStore} from './src/embedded.ts';",
					'const [dirArg, label, count, startAt] = process.argv.slice(2);',
					'const store = new EmbeddedStore({dir: dirArg});',
					'while (Date.now() < Number(startAt)) await new Promise(go => setTimeout(go, 1));',
					'for (let n = 0; n < Number(count); n++) {',
					'\tawait store.createContext({',
					'\t\ttitle: `${label} ${n}`,',
					'\t\tcontent: `${label}-${n}\\n`.repeat(200 + (n % 7) * 150),',
					"\t\tsource: 'test',",
					'\t\ttags: [label],',
					"\t\tagent: 'tester',",
					'\t});',
					'}',
				].join('\n'),
				resolveDir: ROOT,
				sourcefile: 'append.ts',
				loader: 'ts',
			},
			bundle: true,
			platform: 'node',
			format: 'esm',
			target: 'node20',
			outfile: script,
			logLevel: 'silent',
		});
		const data = path.join(dir, 'data');
		// Both children start appending at the same moment.
		const startAt = String(Date.now() + 500);
		await Promise.all(
			['a', 'b'].map(label => execa('node', [script, data, label, '200', startAt])),
		);
		const entities = await store.entities();
		expect(entities).toHaveLength(400);
		expect(new Set(entities.map(entity => entity.id)).size).toBe(400);
		for (const label of ['a', 'b']) {
			const titles = entities
				.filter(entity => entity.title.startsWith(`${label} `))
				.map(entity => entity.title);
			expect(titles).toEqual(Array.from({length: 200}, (_, n) => `${label} ${n}`));
		}
		for (const entity of entities) {
			const [label, n] = entity.title.split(' ');
			expect(entity.content).toBe(`${label}-${n}\n`.repeat(200 + (Number(n) % 7) * 150));
		}
		expect(store.warnings()).toEqual([]);
		// The writes really did interleave.
		const order = entities.map(entity => entity.title.charAt(0));
		const switches = order.filter((label, index) => index > 0 && label !== order[index - 1]);
		expect(switches.length).toBeGreaterThan(2);
	});

	describe('two apply commands on one data folder at once', () => {
		const apply = (file: string) => runCli(['apply', file, '--store', 'embedded'], {cwd: dir});

		async function designFile(name: string, system: string): Promise<string> {
			const raw = rawExample();
			raw['system'] = system;
			delete raw['task'];
			const file = path.join(dir, name);
			await writeFile(file, JSON.stringify(raw));
			return file;
		}

		test('of two designs: both are stored whole', async () => {
			const files = await Promise.all([
				designFile('a.json', 'Chat Service'),
				designFile('b.json', 'Photo Store'),
			]);
			const results = await Promise.all(files.map(file => apply(file)));
			expect(results.map(result => result.exitCode)).toEqual([0, 0]);
			const data = new EmbeddedStore({dir: path.join(dir, '.engram-design')});
			expect((await data.tasks()).map(task => task.title).sort()).toEqual([
				'System design: Chat Service',
				'System design: Photo Store',
			]);
			expect(await data.entities()).toHaveLength(10);
			expect(await data.links()).toHaveLength(10);
			expect(data.warnings()).toEqual([]);
		});

		test('of the same design: stored once; the other is turned away or finds it done', async () => {
			const file = await designFile('a.json', 'Chat Service');
			const results = await Promise.all([apply(file), apply(file)]);
			for (const result of results) {
				if (result.exitCode === 0) continue;
				expect(result.exitCode).toBe(1);
				expect(result.stderr).toMatch(
					new RegExp(
						'^engram-design: another engram-design ' +
							String.raw`\(process \d+\) is committing this design; run the command again`,
					),
				);
			}

			expect(results.some(result => result.exitCode === 0)).toBe(true);
			const data = new EmbeddedStore({dir: path.join(dir, '.engram-design')});
			expect(await data.tasks()).toHaveLength(1);
			expect(await data.entities()).toHaveLength(5);
			expect(await data.links()).toHaveLength(5);
		});
	});
});
