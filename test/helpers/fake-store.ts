import {readdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import {expect} from 'vitest';

/** An entity as the fake engram keeps it: the `data` of its file. */
export type FakeStored = Record<string, unknown> & {id: string};

/** Every entity of one type in the fake engram's store of a repository. */
export async function fakeStored(repo: string, type: string): Promise<FakeStored[]> {
	const dir = path.join(repo, '.git', 'fake-engram', type);
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return [];
	}

	const files = names.filter(name => name.endsWith('.json') && !name.startsWith('.'));
	return Promise.all(
		files.map(async name => {
			const text = await readFile(path.join(dir, name), 'utf8');
			return (JSON.parse(text) as {data: FakeStored}).data;
		}),
	);
}

const titles = [
	'Architecture Diagram',
	'CAP Analysis',
	'Consistency Model',
	'Scalability Strategy',
	'System Requirements',
];

/**
 * The fake holds the whole design of `system` exactly once: one task, two contexts, three
 * reasonings of that task, and five links from the task, one to each artifact.
 */
export async function expectDesignStoredOnce(
	repo: string,
	system = 'Collaborative Document Editor',
): Promise<void> {
	const [tasks, contexts, reasonings, links] = await Promise.all([
		fakeStored(repo, 'task'),
		fakeStored(repo, 'context'),
		fakeStored(repo, 'reasoning'),
		fakeStored(repo, 'relationship'),
	]);
	expect(tasks).toHaveLength(1);
	expect(contexts).toHaveLength(2);
	expect(reasonings).toHaveLength(3);
	expect(links).toHaveLength(5);
	const taskId = tasks[0]!.id;
	const artifacts = [...contexts, ...reasonings];
	expect(artifacts.map(entity => entity['title']).sort()).toEqual(
		titles.map(title => `${title}: ${system}`),
	);
	for (const reasoning of reasonings) expect(reasoning['task_id']).toBe(taskId);
	const kinds = new Map(
		artifacts.map(entity => [entity.id, contexts.includes(entity) ? 'context' : 'reasoning']),
	);
	for (const link of links) {
		expect(link['source_id']).toBe(taskId);
		expect(kinds.get(link['target_id'] as string)).toBe(link['target_type']);
	}

	expect(new Set(links.map(link => link['target_id'])).size).toBe(5);
}
