import {readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {EngramStore} from '../../src/engram.js';
import type {NewContext, NewLink, NewReasoning, NewTask} from '../../src/store.js';
import {FAKE_ENGRAM} from '../helpers/cli.js';

// EngramStore.findEntity against the fake engram: what crash recovery relies on.

let repo: string;
let store: EngramStore;

beforeEach(async () => {
	repo = await mkdtemp(path.join(os.tmpdir(), 'engram-find-test-'));
	await execa('git', ['init', '-q'], {cwd: repo});
	store = new EngramStore({bin: FAKE_ENGRAM, repo});
});

afterEach(async () => {
	await rm(repo, {recursive: true, force: true});
});

// Titles longer than the 40 bytes a list shows, with a multi-byte character at the cut.
const system = 'Collaborative Dökument Editor für Teams';
const task: NewTask = {
	title: `System design: ${system}`,
	description: `System design of ${system}, stored by engram-design.`,
	priority: 'medium',
	agent: 'architect',
	tags: ['system-design', 'collab'],
};
const context: NewContext = {
	title: `System Requirements: ${system}`,
	content: '# Requirements\n\n- starts with a dash\n- 設計 👩‍💻\n',
	source: 'system-design',
	tags: ['system-design', 'requirements'],
	agent: 'architect',
};
const reasoning = (taskId: string): NewReasoning => ({
	title: `CAP Analysis: ${system}`,
	content: '## CP\n\n--content-like line\n',
	taskId,
	confidence: 0.85,
	tags: ['system-design', 'cap-theorem'],
	agent: 'architect',
});

const past = () => new Date(Date.now() - 2000).toISOString();
const future = () => new Date(Date.now() + 120_000).toISOString();

describe('EngramStore.findEntity', () => {
	test('finds a task, a context, a reasoning and a link as they were created', async () => {
		const since = past();
		const taskId = await store.createTask(task);
		const contextId = await store.createContext(context);
		const reasoningId = await store.createReasoning(reasoning(taskId));
		const link: NewLink = {
			sourceId: taskId,
			sourceType: 'task',
			targetId: contextId,
			targetType: 'context',
			type: 'references',
			agent: 'architect',
		};
		const linkId = await store.createLink(link);

		expect(await store.findEntity({kind: 'task', value: task, since})).toBe(taskId);
		expect(await store.findEntity({kind: 'context', value: context, since})).toBe(contextId);
		expect(await store.findEntity({kind: 'reasoning', value: reasoning(taskId), since})).toBe(
			reasoningId,
		);
		expect(await store.findEntity({kind: 'link', value: link, since})).toBe(linkId);
		// A link is the same link whenever it was made.
		expect(await store.findEntity({kind: 'link', value: link, since: future()})).toBe(linkId);
	});

	test('finds nothing that differs, or that was created before the operation began', async () => {
		const taskId = await store.createTask(task);
		await store.createContext(context);
		await store.createReasoning(reasoning(taskId));
		const later = future();
		expect(await store.findEntity({kind: 'task', value: task, since: later})).toBeUndefined();
		expect(await store.findEntity({kind: 'context', value: context, since: later})).toBeUndefined();
		expect(
			await store.findEntity({kind: 'reasoning', value: reasoning(taskId), since: later}),
		).toBeUndefined();
		const misses = [
			{kind: 'task', value: {...task, description: 'other'}},
			{kind: 'task', value: {...task, agent: 'default'}},
			{kind: 'context', value: {...context, content: 'other'}},
			{kind: 'context', value: {...context, title: `${context.title}!`}},
			{kind: 'reasoning', value: reasoning('another-task')},
			{
				kind: 'link',
				value: {
					sourceId: taskId,
					sourceType: 'task',
					targetId: 'a3f8b2c1-1234-5678-90ab-cdef12345678',
					targetType: 'context',
					type: 'references',
					agent: 'architect',
				},
			},
		] as const;
		for (const query of misses) expect(await store.findEntity(query)).toBeUndefined();
	});

	test('an identical context made earlier is not taken for the one being looked for', async () => {
		const older = await store.createContext(context);
		await new Promise(resolve => {
			setTimeout(resolve, 1100);
		});
		const since = new Date().toISOString();
		expect(await store.findEntity({kind: 'context', value: context, since})).toBeUndefined();
		const newer = await store.createContext(context);
		expect(newer).not.toBe(older);
		expect(await store.findEntity({kind: 'context', value: context, since})).toBe(newer);
	});

	test('waits for an engram call still running here, then finds its entity', async () => {
		const since = past();
		const stray = execa(
			FAKE_ENGRAM,
			[
				'context',
				'create',
				`--title=${context.title}`,
				`--content=${context.content}`,
				'--source=system-design',
				'--agent=architect',
			],
			{cwd: repo, env: {FAKE_ENGRAM_DELAY_MS: '700'}},
		);
		// Looked for once it runs as the fake (a process just forked still shows its parent).
		while (!readFileSync(`/proc/${stray.pid}/cmdline`, 'utf8').includes(FAKE_ENGRAM)) {
			await new Promise(resolve => {
				setTimeout(resolve, 10);
			});
		}

		const found = await store.findEntity({kind: 'context', value: context, since});
		const {stdout} = await stray;
		expect(found).toBeDefined();
		expect(stdout).toContain(`ID: ${found}`);
	});
});
