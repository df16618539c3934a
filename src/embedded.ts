import {randomUUID} from 'node:crypto';
import {mkdir, open, readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {z} from './zod.js';
import {
	StoreError,
	type EntityQuery,
	type NewContext,
	type NewLink,
	type NewReasoning,
	type NewTask,
	type Store,
	type StoredEntity,
	type TaskSummary,
} from './store.js';

const text = z.string();
const stamp = z.string();

const taskData = z.object({
	id: text,
	title: text,
	description: text,
	priority: text,
	agent: text,
	tags: z.array(text),
	created: stamp,
});
const contextData = z.object({
	id: text,
	title: text,
	content: text,
	source: text,
	agent: text,
	tags: z.array(text),
	created: stamp,
});
const reasoningData = z.object({
	id: text,
	title: text,
	content: text,
	taskId: text,
	confidence: z.number(),
	agent: text,
	tags: z.array(text),
	created: stamp,
});
const linkData = z.object({
	id: text,
	sourceId: text,
	sourceType: text,
	targetId: text,
	targetType: z.enum(['context', 'reasoning']),
	type: z.enum(['references', 'documents']),
	agent: text,
	created: stamp,
});

const recordSchema = z.discriminatedUnion('kind', [
	z.object({v: z.literal(1), kind: z.literal('task'), data: taskData}),
	z.object({v: z.literal(1), kind: z.literal('context'), data: contextData}),
	z.object({v: z.literal(1), kind: z.literal('reasoning'), data: reasoningData}),
	z.object({v: z.literal(1), kind: z.literal('relationship'), data: linkData}),
]);

export type EmbeddedTask = z.infer<typeof taskData>;
export type EmbeddedContext = z.infer<typeof contextData>;
export type EmbeddedReasoning = z.infer<typeof reasoningData>;
export type EmbeddedLink = z.infer<typeof linkData>;
type StoreRecord = z.infer<typeof recordSchema>;

// Every record line starts with this, so a record glued to the end of a torn line is found.
const RECORD_START = '{"v":1,"kind":"';

export type EmbeddedStoreOptions = {
	/** Folder of the store; the caller resolves the default `./.engram-design/`. */
	readonly dir: string;
};

type Snapshot = {
	readonly tasks: EmbeddedTask[];
	readonly contexts: EmbeddedContext[];
	readonly reasonings: EmbeddedReasoning[];
	readonly links: EmbeddedLink[];
	/** Contexts and reasonings together, in file order. */
	readonly entities: StoredEntity[];
};

/**
 * The store used when no engram binary is found: the same entities, fields and links as
 * Engram holds, kept in `<dir>/store.jsonl`, one JSON record per line, appended only.
 *
 * Each record is appended with a single write(2) on a file opened with O_APPEND, then
 * fsync'd. On Linux local file systems an O_APPEND write is not interleaved with another
 * process's write to the same file (the inode is locked for the whole write), so two
 * processes appending at once both keep every record. That holds for regular files on
 * local disks, not for NFS. A record cut short by a crash leaves an incomplete last line,
 * which reading ignores; any other unreadable line is skipped and counted in warnings().
 */
export class EmbeddedStore implements Store {
	readonly kind = 'embedded';
	readonly dir: string;
	readonly file: string;
	private lastWarnings: string[] = [];

	constructor(options: EmbeddedStoreOptions) {
		this.dir = options.dir;
		this.file = path.join(options.dir, 'store.jsonl');
	}

	/** `embedded store in <dir>`. */
	async describe(): Promise<string> {
		return this.identity();
	}

	/** `embedded store in <dir>`. */
	identity(): string {
		return `embedded store in ${this.dir}`;
	}

	/** Appends a task; returns its new id. */
	async createTask(task: NewTask): Promise<string> {
		const data: EmbeddedTask = {
			id: randomUUID(),
			title: task.title,
			description: task.description,
			priority: task.priority,
			agent: task.agent,
			tags: [...task.tags],
			created: new Date().toISOString(),
		};
		await this.append({v: 1, kind: 'task', data});
		return data.id;
	}

	/** Appends a context; returns its new id. */
	async createContext(context: NewContext): Promise<string> {
		const data: EmbeddedContext = {
			id: randomUUID(),
			title: context.title,
			content: context.content,
			source: context.source,
			agent: context.agent,
			tags: [...context.tags],
			created: new Date().toISOString(),
		};
		await this.append({v: 1, kind: 'context', data});
		return data.id;
	}

	/** Appends a reasoning; its confidence must lie in 0..1, as Engram requires. */
	async createReasoning(reasoning: NewReasoning): Promise<string> {
		if (!(reasoning.confidence >= 0 && reasoning.confidence <= 1)) {
			throw new StoreError('Confidence must be between 0.0 and 1.0');
		}
		const data: EmbeddedReasoning = {
			id: randomUUID(),
			title: reasoning.title,
			content: reasoning.content,
			taskId: reasoning.taskId,
			confidence: reasoning.confidence,
			agent: reasoning.agent,
			tags: [...reasoning.tags],
			created: new Date().toISOString(),
		};
		await this.append({v: 1, kind: 'reasoning', data});
		return data.id;
	}

	/** Appends a link from the task; refuses what Engram refuses (empty ids, a self-link). */
	async createLink(link: NewLink): Promise<string> {
		if (link.sourceId.trim() === '' || link.targetId.trim() === '') {
			throw new StoreError('A link needs a source id and a target id');
		}
		if (link.sourceId === link.targetId) {
			throw new StoreError('An entity cannot be linked to itself');
		}
		if (link.agent.trim() === '') throw new StoreError('A link needs an agent');
		const data: EmbeddedLink = {
			id: randomUUID(),
			sourceId: link.sourceId,
			sourceType: link.sourceType,
			targetId: link.targetId,
			targetType: link.targetType,
			type: link.type,
			agent: link.agent,
			created: new Date().toISOString(),
		};
		await this.append({v: 1, kind: 'relationship', data});
		return data.id;
	}

	/** The agent's tasks, newest first. */
	async listTasks(agent: string): Promise<TaskSummary[]> {
		const {tasks} = await this.load();
		return (
			tasks
				.map((task, index) => ({task, index}))
				.filter(({task}) => task.agent === agent)
				// Timestamps in one ISO format sort as plain strings; localeCompare would load the
				// collation tables (some 3 MB) for it.
				.sort((a, b) =>
					a.task.created < b.task.created
						? 1
						: a.task.created > b.task.created
							? -1
							: b.index - a.index,
				)
				.map(({task}) => ({id: task.id, title: task.title, agent: task.agent}))
		);
	}

	/** The task with this id, or with this unique prefix of 4 or more characters. */
	async findTask(id: string): Promise<TaskSummary | undefined> {
		const {tasks} = await this.load();
		const task = pick(tasks, id, 'task');
		return task && {id: task.id, title: task.title, agent: task.agent};
	}

	/** Every task, in the order written. */
	async tasks(): Promise<EmbeddedTask[]> {
		return (await this.load()).tasks;
	}

	/** Every context with all its fields, in the order written. */
	async contexts(): Promise<EmbeddedContext[]> {
		return (await this.load()).contexts;
	}

	/** Every reasoning with all its fields, in the order written. */
	async reasonings(): Promise<EmbeddedReasoning[]> {
		return (await this.load()).reasonings;
	}

	/** Every context and reasoning, in the order written. */
	async entities(): Promise<StoredEntity[]> {
		return (await this.load()).entities;
	}

	/** Every link, in the order written. */
	async links(): Promise<EmbeddedLink[]> {
		return (await this.load()).links;
	}

	/** The context or reasoning with this id (or unique prefix), if any. */
	async showEntity(id: string): Promise<StoredEntity | undefined> {
		return pick((await this.load()).entities, id, 'entity');
	}

	/** What the last read skipped: one sentence per unreadable line. */
	warnings(): readonly string[] {
		return this.lastWarnings;
	}

	private async append(record: StoreRecord): Promise<void> {
		const line = Buffer.from(`${JSON.stringify(record)}\n`);
		let created = false;
		try {
			await mkdir(this.dir, {recursive: true});
			created = !(await exists(this.file));
			const handle = await open(this.file, 'a', 0o600);
			try {
				const {bytesWritten} = await handle.write(line);
				if (bytesWritten !== line.length) {
					throw new Error(`only ${bytesWritten} of ${line.length} bytes were written`);
				}
				await handle.sync();
			} finally {
				await handle.close();
			}
			if (created) await syncDirectory(this.dir);
		} catch (error) {
			const reason = error instanceof Error ? error.message : String(error);
			throw new StoreError(`Could not write to ${this.file}: ${reason}`, '', {cause: error});
		}
	}

	private async load(): Promise<Snapshot> {
		let content: string;
		try {
			content = await readFile(this.file, 'utf8');
		} catch (error) {
			if (isCode(error, 'ENOENT')) {
				this.lastWarnings = [];
				return {tasks: [], contexts: [], reasonings: [], links: [], entities: []};
			}
			const reason = error instanceof Error ? error.message : String(error);
			throw new StoreError(`Could not read ${this.file}: ${reason}`, '', {cause: error});
		}
		const warnings: string[] = [];
		const snapshot: Snapshot = {
			tasks: [],
			contexts: [],
			reasonings: [],
			links: [],
			entities: [],
		};
		const seen = new Set<string>();
		const lines = content.split('\n');
		const tail = lines.pop() ?? '';
		const add = (record: StoreRecord) => {
			if (seen.has(record.data.id)) return;
			seen.add(record.data.id);
			if (record.kind === 'task') snapshot.tasks.push(record.data);
			if (record.kind === 'context') {
				snapshot.contexts.push(record.data);
				snapshot.entities.push(contextEntity(record.data));
			} else if (record.kind === 'reasoning') {
				snapshot.reasonings.push(record.data);
				snapshot.entities.push(reasoningEntity(record.data));
			} else if (record.kind === 'relationship') {
				snapshot.links.push(record.data);
			}
		};
		for (const [index, line] of lines.entries()) {
			if (line.trim() === '') continue;
			const record = parseRecord(line);
			if (record) {
				add(record);
				continue;
			}
			const salvaged = salvage(line);
			if (salvaged) add(salvaged);
			const where = `${this.file} line ${index + 1}`;
			warnings.push(
				salvaged
					? `${where} starts with a cut-off record; that part was skipped`
					: `${where} is not a valid record; it was skipped`,
			);
		}
		if (tail.trim() !== '') {
			const record = parseRecord(tail) ?? salvage(tail);
			if (record) add(record);
			else warnings.push(`${this.file} ends with an incomplete record; it was ignored`);
		}
		this.lastWarnings = warnings;
		return snapshot;
	}

	/** The newest record with every field the query gives, written no earlier than `since`. */
	async findEntity(query: EntityQuery): Promise<string | undefined> {
		const snapshot = await this.load();
		const since = query.since ?? '';
		const recent = <T extends {readonly created: string}>(item: T) => item.created >= since;
		const newest = <T extends {readonly id: string}>(items: readonly T[]) => items.at(-1)?.id;
		const tags = (a: readonly string[], b: readonly string[]) => a.join(',') === b.join(',');
		switch (query.kind) {
			case 'task': {
				const want = query.value;
				return newest(
					snapshot.tasks.filter(
						task =>
							recent(task) &&
							task.title === want.title &&
							task.description === want.description &&
							task.priority === want.priority &&
							task.agent === want.agent &&
							tags(task.tags, want.tags),
					),
				);
			}
			case 'context': {
				const want = query.value;
				return newest(
					snapshot.contexts.filter(
						context =>
							recent(context) &&
							context.title === want.title &&
							context.content === want.content &&
							context.source === want.source &&
							context.agent === want.agent &&
							tags(context.tags, want.tags),
					),
				);
			}
			case 'reasoning': {
				const want = query.value;
				return newest(
					snapshot.reasonings.filter(
						reasoning =>
							recent(reasoning) &&
							reasoning.title === want.title &&
							reasoning.content === want.content &&
							reasoning.taskId === want.taskId &&
							reasoning.confidence === want.confidence &&
							reasoning.agent === want.agent &&
							tags(reasoning.tags, want.tags),
					),
				);
			}
			case 'link': {
				// The same link is the same link whenever it was made: no time limit here.
				const want = query.value;
				return newest(
					snapshot.links.filter(
						link =>
							link.sourceId === want.sourceId &&
							link.sourceType === want.sourceType &&
							link.targetId === want.targetId &&
							link.targetType === want.targetType &&
							link.type === want.type &&
							link.agent === want.agent,
					),
				);
			}
		}
	}
}

function parseRecord(line: string): StoreRecord | undefined {
	try {
		const parsed = recordSchema.safeParse(JSON.parse(line));
		return parsed.success ? parsed.data : undefined;
	} catch {
		return undefined;
	}
}

// A torn write followed by a whole one leaves the whole record at the end of the line.
function salvage(line: string): StoreRecord | undefined {
	const start = line.lastIndexOf(RECORD_START);
	return start > 0 ? parseRecord(line.slice(start)) : undefined;
}

function pick<T extends {readonly id: string}>(
	items: readonly T[],
	id: string,
	what: string,
): T | undefined {
	const exact = items.find(item => item.id === id);
	if (exact || id.length < 4) return exact;
	const matches = items.filter(item => item.id.startsWith(id));
	if (matches.length > 1) {
		throw new StoreError(`The ${what} id prefix ${id} matches ${matches.length} ids`);
	}
	return matches[0];
}

function contextEntity(context: EmbeddedContext): StoredEntity {
	return {
		id: context.id,
		kind: 'context',
		title: context.title,
		content: context.content,
		createdAt: context.created,
	};
}

function reasoningEntity(reasoning: EmbeddedReasoning): StoredEntity {
	return {
		id: reasoning.id,
		kind: 'reasoning',
		title: reasoning.title,
		content: reasoning.content,
		taskId: reasoning.taskId,
		confidence: reasoning.confidence,
		createdAt: reasoning.created,
	};
}

async function exists(file: string): Promise<boolean> {
	try {
		await stat(file);
		return true;
	} catch {
		return false;
	}
}

// Makes a new file's directory entry durable, not only its contents.
async function syncDirectory(dir: string): Promise<void> {
	const handle = await open(dir, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}

function isCode(error: unknown, code: string): boolean {
	return error instanceof Error && 'code' in error && error.code === code;
}
