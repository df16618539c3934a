import type {Io} from './apply.js';
import type {EmbeddedStore} from './embedded.js';
import type {EngramStore} from './engram.js';
import type {Options} from './options.js';
import {UsageError} from './options.js';
import {StoreError, type StoredEntity} from './store.js';
import {openStore} from './stores.js';
import type {EntityKind, StepId} from '../steps/types.js';

/** The title each step's artifact starts with, before `: <system>` (DESIGN §3), in step order. */
export const artifactTitlePrefixes: readonly {readonly step: StepId; readonly prefix: string}[] = [
	{step: 'requirements', prefix: 'System Requirements: '},
	{step: 'cap', prefix: 'CAP Analysis: '},
	{step: 'consistency', prefix: 'Consistency Model: '},
	{step: 'architecture', prefix: 'Architecture Diagram: '},
	{step: 'scalability', prefix: 'Scalability Strategy: '},
];

/** The step and system an artifact's title names, or undefined for any other title. */
export function artifactOf(title: string): {step: StepId; system: string} | undefined {
	for (const {step, prefix} of artifactTitlePrefixes) {
		if (title.startsWith(prefix)) return {step, system: title.slice(prefix.length)};
	}
	return undefined;
}

// Task ids as the answers model accepts them: a UUID, a prefix of one, or another token
// that cannot be mistaken for a flag.
const taskIdPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The design artifacts linked to one task, as read back from a store. */
export type StoredDesign = {
	readonly taskId: string;
	/** Contexts and reasonings whose titles name a design step, in the order found. */
	readonly artifacts: readonly StoredEntity[];
	/** Whether the store holds the task itself (a design may link to a task held elsewhere). */
	readonly taskFound: boolean;
};

/** The task's linked design artifacts in an Engram store: `task show`, then each entity's show. */
async function readFromEngram(store: EngramStore, id: string): Promise<StoredDesign | undefined> {
	const task = await store.findTask(id);
	let candidates: {id: string; kind?: string}[];
	if (task) {
		const links = await store.taskLinks(task.id);
		candidates = links.filter(
			link => link.direction === 'out' && (link.title === undefined || artifactOf(link.title)),
		);
	} else if (uuidPattern.test(id)) {
		// A design may be linked to a task id Engram does not hold; its links still lead out
		// of that id, and `relationship connected` follows them.
		candidates = (await store.connected(id)).map(entity => ({id: entity}));
	} else {
		return undefined;
	}

	const artifacts: StoredEntity[] = [];
	const seen = new Set<string>();
	for (const candidate of candidates) {
		if (seen.has(candidate.id)) continue;
		seen.add(candidate.id);
		const kinds: readonly EntityKind[] =
			candidate.kind === 'context' || candidate.kind === 'reasoning'
				? [candidate.kind]
				: ['context', 'reasoning'];
		for (const kind of kinds) {
			const entity = await store.showEntity(kind, candidate.id);
			if (entity) {
				if (artifactOf(entity.title)) artifacts.push(entity);
				break;
			}
		}
	}
	if (!task && artifacts.length === 0) return undefined;
	return {taskId: task?.id ?? id, artifacts, taskFound: task !== undefined};
}

/** The task's linked design artifacts in the embedded store. */
async function readFromEmbedded(
	store: EmbeddedStore,
	id: string,
): Promise<StoredDesign | undefined> {
	const task = await store.findTask(id);
	const taskId = task?.id ?? id;
	const links = (await store.links()).filter(link => link.sourceId === taskId);
	if (!task && links.length === 0) return undefined;
	const entities = new Map((await store.entities()).map(entity => [entity.id, entity]));
	const artifacts: StoredEntity[] = [];
	for (const link of links) {
		const entity = entities.get(link.targetId);
		if (entity && artifactOf(entity.title) && !artifacts.includes(entity)) artifacts.push(entity);
	}
	return {taskId, artifacts, taskFound: task !== undefined};
}

/** The design artifacts linked to a task in the store in use; undefined if the task is unknown. */
export async function readDesign(
	store: EngramStore | EmbeddedStore,
	id: string,
): Promise<StoredDesign | undefined> {
	return store.kind === 'engram' ? readFromEngram(store, id) : readFromEmbedded(store, id);
}

/**
 * The artifacts of a design grouped into systems (a task may hold the designs of several),
 * each system's artifacts in step order; within a step and between systems, oldest first.
 */
export function orderArtifacts(artifacts: readonly StoredEntity[]): StoredEntity[][] {
	const byAge = artifacts
		.map((entity, index) => ({entity, index}))
		.sort(
			(a, b) =>
				(a.entity.createdAt ?? '').localeCompare(b.entity.createdAt ?? '') || a.index - b.index,
		)
		.map(({entity}) => entity);
	const systems = new Map<string, StoredEntity[]>();
	for (const entity of byAge) {
		const system = artifactOf(entity.title)?.system ?? '';
		systems.set(system, [...(systems.get(system) ?? []), entity]);
	}
	const rank = (entity: StoredEntity) =>
		artifactTitlePrefixes.findIndex(({prefix}) => entity.title.startsWith(prefix));
	// Array sort is stable, so artifacts of one step stay oldest first.
	return [...systems.values()].map(group => [...group].sort((a, b) => rank(a) - rank(b)));
}

/** The stored markdown of each artifact, one blank line between them. */
export function renderDesign(groups: readonly (readonly StoredEntity[])[]): string {
	return groups
		.flat()
		.map(entity => (entity.content.endsWith('\n') ? entity.content : `${entity.content}\n`))
		.join('\n');
}

/** `engram-design show TASK_ID`: the markdown of the design linked to the task. */
export async function runShow(id: string, options: Options, io: Io): Promise<number> {
	if (!taskIdPattern.test(id)) {
		throw new UsageError(
			`"${id}" is not a task id; give the id (or a prefix of it) that apply printed`,
			'show',
		);
	}
	const store = (await openStore(options, io.env, io.cwd)) as EngramStore | EmbeddedStore;
	const design = await readDesign(store, id);
	const where = await store.describe();
	if (!design) throw new StoreError(`task ${id} was not found in the store (${where})`);
	if (design.artifacts.length === 0) {
		throw new StoreError(`task ${design.taskId} has no design linked to it (${where})`);
	}
	const groups = orderArtifacts(design.artifacts);
	for (const group of groups) {
		const counts = new Map<string, number>();
		for (const entity of group) {
			const prefix = entity.title.slice(0, entity.title.indexOf(': '));
			counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
		}
		for (const [prefix, count] of counts) {
			if (count > 1) {
				const system = artifactOf(group[0]!.title)?.system ?? '';
				io.stderr.write(
					`engram-design: task ${design.taskId} holds ${count} ${prefix} ` +
						`artifacts of ${system}; each is shown, oldest first\n`,
				);
			}
		}
	}
	io.stdout.write(renderDesign(groups));
	return 0;
}
