import {randomUUID} from 'node:crypto';
import type {
	EntityQuery,
	NewContext,
	NewLink,
	NewReasoning,
	NewTask,
	Store,
	TaskSummary,
} from '../../src/store.js';

type Call =
	| {readonly op: 'task'; readonly id: string; readonly value: NewTask}
	| {readonly op: 'context'; readonly id: string; readonly value: NewContext}
	| {readonly op: 'reasoning'; readonly id: string; readonly value: NewReasoning}
	| {readonly op: 'link'; readonly id: string; readonly value: NewLink};

/** A store in memory that records every call, for tests of the commit path and the wizard. */
export class MemoryStore implements Store {
	readonly kind = 'embedded' as const;
	readonly calls: Call[] = [];
	readonly tasks: TaskSummary[] = [];
	/** Fails the call with this 1-based number, once. */
	failAt: number | undefined;
	/** Stores the call with this 1-based number, then fails it, once: its id is lost. */
	loseIdAt: number | undefined;
	/** Every findEntity query, in order. */
	readonly queries: EntityQuery[] = [];
	private count = 0;

	async describe(): Promise<string> {
		return 'memory store for tests';
	}

	identity(): string {
		return 'memory store for tests';
	}

	private record<T extends Call['op']>(op: T, value: Extract<Call, {op: T}>['value']): string {
		this.count++;
		if (this.failAt === this.count) {
			this.failAt = undefined;
			throw new Error(`injected failure at call ${this.count}`);
		}

		const id = randomUUID();
		this.calls.push({op, id, value} as Call);
		if (this.loseIdAt === this.count) {
			this.loseIdAt = undefined;
			throw new Error(`injected lost id at call ${this.count}`);
		}

		return id;
	}

	async createTask(task: NewTask): Promise<string> {
		const id = this.record('task', task);
		this.tasks.unshift({id, title: task.title});
		return id;
	}

	async createContext(context: NewContext): Promise<string> {
		return this.record('context', context);
	}

	async createReasoning(reasoning: NewReasoning): Promise<string> {
		return this.record('reasoning', reasoning);
	}

	async createLink(link: NewLink): Promise<string> {
		return this.record('link', link);
	}

	async listTasks(): Promise<TaskSummary[]> {
		return [...this.tasks];
	}

	async findTask(id: string): Promise<TaskSummary | undefined> {
		const matches = this.tasks.filter(task => task.id.startsWith(id));
		return matches.length === 1 ? matches[0] : undefined;
	}

	async findEntity(query: EntityQuery): Promise<string | undefined> {
		this.queries.push(query);
		const op = query.kind === 'link' ? 'link' : query.kind;
		const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
		return this.calls.filter(call => call.op === op && same(call.value, query.value)).at(-1)?.id;
	}
}
