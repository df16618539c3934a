import type {EntityKind, LinkType} from '../steps/types.js';

export type NewTask = {
	readonly title: string;
	readonly description: string;
	readonly priority: string;
	readonly agent: string;
	readonly tags: readonly string[];
};

export type NewContext = {
	readonly title: string;
	readonly content: string;
	readonly source: string;
	readonly tags: readonly string[];
	readonly agent: string;
};

export type NewReasoning = {
	readonly title: string;
	readonly content: string;
	readonly taskId: string;
	readonly confidence: number;
	readonly tags: readonly string[];
	readonly agent: string;
};

export type NewLink = {
	readonly sourceId: string;
	readonly sourceType: 'task';
	readonly targetId: string;
	readonly targetType: EntityKind;
	readonly type: LinkType;
	readonly agent: string;
};

export type TaskSummary = {readonly id: string; readonly title: string; readonly agent?: string};

/** A stored entity read back: what `show` and crash recovery need. */
export type StoredEntity = {
	readonly id: string;
	readonly kind: EntityKind;
	readonly title: string;
	readonly content: string;
	readonly taskId?: string;
	readonly confidence?: number;
	readonly createdAt?: string;
};

/**
 * An entity or link as a commit asked for it, to look for after a crash: `since` is when the
 * operation began, so only what was stored from then on counts (a store compares at the
 * precision it keeps times in).
 */
export type EntityQuery = (
	| {readonly kind: 'task'; readonly value: NewTask}
	| {readonly kind: 'context'; readonly value: NewContext}
	| {readonly kind: 'reasoning'; readonly value: NewReasoning}
	| {readonly kind: 'link'; readonly value: NewLink}
) & {readonly since?: string};

/** Where designs are written: the Engram binary or the embedded store. */
export interface Store {
	/** `engram` or `embedded`. */
	readonly kind: 'engram' | 'embedded';
	/** One line for the Start screen: binary and version, or the folder. */
	describe(): Promise<string>;
	/**
	 * Which store this is, without starting anything: the binary and repository, or the folder.
	 * Commit journals are named by it, so it stays the same when the binary is upgraded.
	 */
	identity(): string;
	/**
	 * Fails as the first call would when the store cannot be used at all (an engram binary
	 * missing or not executable), without starting anything.
	 */
	check?(): void;
	/** Loads what the store's calls need, so that the first one starts at once. */
	prepare?(): Promise<void>;
	createTask(task: NewTask): Promise<string>;
	createContext(context: NewContext): Promise<string>;
	createReasoning(reasoning: NewReasoning): Promise<string>;
	createLink(link: NewLink): Promise<string>;
	/** Tasks to offer on the Start screen, newest first. */
	listTasks(agent: string): Promise<TaskSummary[]>;
	/** The task with this id or unique id prefix, or undefined. */
	findTask(id: string): Promise<TaskSummary | undefined>;
	/**
	 * The id of a stored entity or link with every field the query gives (the newest when
	 * several match), or undefined: how a commit finds what a crash left unrecorded.
	 */
	findEntity(query: EntityQuery): Promise<string | undefined>;
}

/** A store failure: one sentence for the user, and the store's own output. */
export class StoreError extends Error {
	readonly detail: string;
	constructor(message: string, detail = '', options?: ErrorOptions) {
		super(message, options);
		this.name = 'StoreError';
		this.detail = detail;
	}
}
