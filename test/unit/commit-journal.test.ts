import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import type {Answers} from '../../src/answers.js';
import {commitDesign, planCommit} from '../../src/commit.js';
import {FileJournal, JournalBusyError, MemoryJournal} from '../../src/journal.js';
import {MemoryStore} from '../helpers/memory-store.js';
import {example} from './example.js';

// The commit journal and what a second run of a commit does with it, on a store in memory.

function withoutTask(): Answers {
	const answers = example();
	delete answers.task;
	return answers;
}

const answers = withoutTask();
const plan = planCommit(answers);
const kinds = [
	'task',
	'context',
	'reasoning',
	'reasoning',
	'context',
	'reasoning',
	...Array<string>(5).fill('link'),
];
const operations = plan.map((op, index) => [index + 1, op.key] as const);

describe('commitDesign with a journal', () => {
	test('a commit that nothing interrupts looks nothing up', async () => {
		const store = new MemoryStore();
		const result = await commitDesign({answers, store, journal: new MemoryJournal()});
		expect(store.calls).toHaveLength(11);
		expect(store.queries).toEqual([]);
		expect(result.entities).toHaveLength(5);
	});

	test.each(operations)(
		'an id lost at operation %i (%s) is found, not created again',
		async (n, key) => {
			const store = new MemoryStore();
			const journal = new MemoryJournal();
			store.loseIdAt = n;
			await expect(commitDesign({answers, store, journal})).rejects.toThrow(/lost id/);
			expect(journal.isPending(key)).toBe(true);
			const since = journal.pendingSince(key);
			expect(since).toMatch(/^\d{4}-\d\d-\d\dT/);

			const events: string[] = [];
			await commitDesign({
				answers,
				store,
				journal,
				onEvent: event => {
					if (event.type === 'done' && event.recovered) events.push(event.key);
				},
			});
			expect(store.calls).toHaveLength(11);
			expect(store.queries).toHaveLength(1);
			expect(store.queries[0]).toMatchObject({kind: kinds[n - 1], since});
			expect(events).toEqual([key]);
			expect(journal.id(key)).toBe(store.calls[n - 1]!.id);
			expect(journal.isPending(key)).toBe(false);
		},
	);

	test.each(operations)(
		'a failure at operation %i (%s) is looked up once, then created',
		async n => {
			const store = new MemoryStore();
			const journal = new MemoryJournal();
			store.failAt = n;
			await expect(commitDesign({answers, store, journal})).rejects.toThrow(/injected/);
			await commitDesign({answers, store, journal});
			expect(store.calls).toHaveLength(11);
			expect(store.queries).toHaveLength(1);
		},
	);

	test('links point at the ids found after a crash', async () => {
		const store = new MemoryStore();
		const journal = new MemoryJournal();
		store.loseIdAt = 3;
		await expect(commitDesign({answers, store, journal})).rejects.toThrow();
		const result = await commitDesign({answers, store, journal});
		const links = store.calls.filter(call => call.op === 'link').map(call => call.value);
		const ids = result.entities.map(entity => entity.id);
		expect(links.map(link => 'targetId' in link && link.targetId)).toEqual(ids);
		expect(ids[1]).toBe(store.calls[2]!.id);
	});
});

describe('FileJournal', () => {
	let dir: string;
	beforeEach(async () => {
		dir = await mkdtemp(path.join(os.tmpdir(), 'journal-test-'));
	});

	afterEach(async () => {
		await rm(dir, {recursive: true, force: true});
	});

	test('what was begun and recorded survives reopening', async () => {
		const first = await FileJournal.open(dir, 'design', 'store');
		await first.begin('task');
		await first.record('task', 'task-id');
		await first.begin('cap');
		await first.close();

		const again = await FileJournal.open(dir, 'design', 'store');
		expect(again.id('task')).toBe('task-id');
		expect(again.pendingSince('task')).toBeUndefined();
		expect(again.isPending('cap')).toBe(true);
		expect(again.pendingSince('cap')).toBe(first.pendingSince('cap'));
		await again.close();
	});

	test('one journal per design and store', async () => {
		const a = await FileJournal.open(dir, 'design', 'store');
		const b = await FileJournal.open(dir, 'design', 'other store');
		const c = await FileJournal.open(dir, 'other design', 'store');
		expect(new Set([a.file, b.file, c.file]).size).toBe(3);
		await Promise.all([a.close(), b.close(), c.close()]);
	});

	test('a running process that holds the journal keeps others out until it is gone', async () => {
		const holder = execa('sleep', ['30']);
		const probe = await FileJournal.open(dir, 'design', 'store');
		await probe.close();
		await writeFile(probe.lockFile, `${holder.pid}\n`);
		const refused = FileJournal.open(dir, 'design', 'store');
		await expect(refused).rejects.toThrow(JournalBusyError);
		await expect(refused).rejects.toThrow(
			`another engram-design (process ${holder.pid}) is committing this design; run the ` +
				'command again once it has finished (if no such process runs, delete ' +
				`${probe.lockFile})`,
		);

		holder.kill('SIGKILL');
		await holder.catch(() => undefined);
		const taken = await FileJournal.open(dir, 'design', 'store');
		expect((await readFile(taken.lockFile, 'utf8')).trim()).toBe(String(process.pid));
		await taken.close();
	});

	test('a lock left by a process that has ended is taken over', async () => {
		const child = execa('true');
		const {pid} = child;
		await child;
		const probe = await FileJournal.open(dir, 'design', 'store');
		await probe.close();
		await writeFile(probe.lockFile, `${pid}\n`);
		const journal = await FileJournal.open(dir, 'design', 'store');
		await journal.begin('task');
		await journal.close();
	});

	test('the process holding the journal may open it again; close lets it go', async () => {
		const first = await FileJournal.open(dir, 'design', 'store');
		const second = await FileJournal.open(dir, 'design', 'store');
		await second.close();
		await expect(readFile(first.lockFile)).rejects.toThrow(/ENOENT/);
	});

	test('a journal file that is not JSON is named, and its lock let go', async () => {
		const probe = await FileJournal.open(dir, 'design', 'store');
		await probe.close();
		await writeFile(probe.file, '{"version": 1, "ops": {');
		await expect(FileJournal.open(dir, 'design', 'store')).rejects.toThrow(
			`the commit journal ${probe.file} cannot be read`,
		);
		await expect(readFile(probe.lockFile)).rejects.toThrow(/ENOENT/);
	});
});
