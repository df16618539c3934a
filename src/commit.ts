import {slugOf, type Answers} from './answers.js';
import {TaskNotFoundError} from './errors.js';
import type {Journal} from './journal.js';
import type {EntityQuery, Store} from './store.js';
import {steps} from '../steps/index.js';
import type {EntitySpec, StepId} from '../steps/types.js';

export {TaskNotFoundError};

export type OpKey = 'task' | StepId | `link:${StepId}`;

/** One line of commit progress. */
export type CommitEvent =
	| {readonly type: 'start'; readonly key: OpKey; readonly label: string}
	| {
			readonly type: 'done';
			readonly key: OpKey;
			readonly label: string;
			readonly id: string;
			/** Stored before this run: recorded in the journal, or found in the store. */
			readonly reused: boolean;
			/** Found in the store after a run that stopped before recording its id. */
			readonly recovered?: boolean;
	  }
	| {readonly type: 'warn'; readonly key: OpKey; readonly message: string};

export type CommitResult = {
	readonly taskId: string;
	readonly taskCreated: boolean;
	readonly ids: Readonly<Record<OpKey, string>>;
	readonly entities: readonly (EntitySpec & {readonly id: string})[];
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The title of the task created when a design names none. */
export function defaultTaskTitle(answers: Pick<Answers, 'system'>): string {
	return `System design: ${answers.system}`;
}

/** Every operation a commit performs, in order, with its label. */
export function planCommit(answers: Answers): {key: OpKey; label: string}[] {
	const ops: {key: OpKey; label: string}[] = [];
	if (!answers.task || 'title' in answers.task) {
		ops.push({key: 'task', label: `task "${answers.task?.title ?? defaultTaskTitle(answers)}"`});
	}

	for (const step of steps) ops.push({key: step.id, label: step.label});
	for (const step of steps) ops.push({key: `link:${step.id}`, label: `link task → ${step.label}`});
	return ops;
}

/**
 * Stores a whole design: the task when it must be created, the five artifacts, then the five
 * links. Each id is recorded in the journal before the next operation starts, so a second run
 * with the same journal continues where the first stopped.
 */
export async function commitDesign({
	answers,
	store,
	journal,
	onEvent = () => {},
}: {
	answers: Answers;
	store: Store;
	journal: Journal;
	onEvent?: (event: CommitEvent) => void;
}): Promise<CommitResult> {
	const plan = planCommit(answers);
	const labels = new Map(plan.map(op => [op.key, op.label]));
	const ids = {} as Record<OpKey, string>;

	const run = async (key: OpKey, query: EntityQuery): Promise<string> => {
		const label = labels.get(key) ?? key;
		const known = journal.id(key);
		if (known) {
			ids[key] = known;
			onEvent({type: 'done', key, label, id: known, reused: true});
			return known;
		}

		onEvent({type: 'start', key, label});
		// Begun and never recorded: a crash, a killed engram or a lost id may have stored it
		// all the same, so look before creating it again.
		const since = journal.pendingSince(key);
		if (since !== undefined) {
			const found = await store.findEntity({...query, since});
			if (found) {
				await journal.record(key, found);
				ids[key] = found;
				onEvent({type: 'done', key, label, id: found, reused: true, recovered: true});
				return found;
			}
		}

		await journal.begin(key);
		const id = await create(store, query);
		await journal.record(key, id);
		ids[key] = id;
		onEvent({type: 'done', key, label, id, reused: false});
		return id;
	};

	let taskId: string;
	const task = answers.task;
	if (task && 'id' in task) {
		taskId = await resolveTask(store, task.id, message =>
			onEvent({type: 'warn', key: 'task', message}),
		);
	} else {
		taskId = await run('task', {
			kind: 'task',
			value: {
				title: task?.title ?? defaultTaskTitle(answers),
				description: `System design of ${answers.system}, stored by engram-design.`,
				priority: task?.priority ?? 'medium',
				agent: answers.agent,
				tags: ['system-design', slugOf(answers)],
			},
		});
	}

	const entities: (EntitySpec & {id: string})[] = [];
	const specs: EntitySpec[] = [];
	const specAt = (index: number): EntitySpec =>
		(specs[index] ??= steps[index]!.entity(answers, taskId));
	for (const [index, step] of steps.entries()) {
		const spec = specAt(index);
		const running = run(
			step.id,
			spec.kind === 'context'
				? {
						kind: 'context',
						value: {
							title: spec.title,
							content: spec.content,
							source: spec.source ?? 'system-design',
							tags: spec.tags,
							agent: answers.agent,
						},
					}
				: {
						kind: 'reasoning',
						value: {
							title: spec.title,
							content: spec.content,
							taskId,
							confidence: spec.confidence ?? 0,
							tags: spec.tags,
							agent: answers.agent,
						},
					},
		);
		// The next step's entity is built while this step's call runs, once it has started.
		if (index + 1 < steps.length) {
			running.catch(() => {});
			await new Promise(resolve => setImmediate(resolve));
			specAt(index + 1);
		}

		const id = await running;
		entities.push({...spec, id});
	}

	for (const entity of entities) {
		await run(`link:${entity.step}`, {
			kind: 'link',
			value: {
				sourceId: taskId,
				sourceType: 'task',
				targetId: entity.id,
				targetType: entity.kind,
				type: entity.linkType,
				agent: answers.agent,
			},
		});
	}

	return {taskId, taskCreated: !(task && 'id' in task), ids, entities};
}

/** Creates what a query describes and returns the new id. */
function create(store: Store, query: EntityQuery): Promise<string> {
	switch (query.kind) {
		case 'task':
			return store.createTask(query.value);
		case 'context':
			return store.createContext(query.value);
		case 'reasoning':
			return store.createReasoning(query.value);
		case 'link':
			return store.createLink(query.value);
	}
}

/** The full id of an existing task; a full UUID the store does not know is kept, with a warning. */
async function resolveTask(
	store: Store,
	id: string,
	warn: (message: string) => void,
): Promise<string> {
	const found = await store.findTask(id);
	if (found) return found.id;
	if (uuidPattern.test(id)) {
		warn(`task ${id} is not in the store; linking to it anyway`);
		return id;
	}

	throw new TaskNotFoundError(id);
}
