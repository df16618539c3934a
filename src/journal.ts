import {createHash} from 'node:crypto';
import {mkdir, readFile} from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';

/** One recorded operation: the id it produced, or that it was started and not seen to finish. */
export type JournalEntry = {readonly id?: string; readonly startedAt: string; readonly doneAt?: string};

type JournalFile = {
	readonly version: 1;
	readonly design: string;
	readonly store: string;
	readonly ops: Record<string, JournalEntry>;
};

/** The ids a commit has produced so far, kept durably between operations. */
export interface Journal {
	/** The id a finished operation produced. */
	id(key: string): string | undefined;
	/** Whether an operation was started and never recorded as finished. */
	isPending(key: string): boolean;
	/** Records that an operation is about to run. */
	begin(key: string): Promise<void>;
	/** Records the id an operation produced, before the next one starts. */
	record(key: string, id: string): Promise<void>;
}

/** A journal that lives only as long as the process (tests, dry runs). */
export class MemoryJournal implements Journal {
	readonly ops = new Map<string, JournalEntry>();

	id(key: string): string | undefined {
		return this.ops.get(key)?.id;
	}

	isPending(key: string): boolean {
		const entry = this.ops.get(key);
		return entry !== undefined && entry.id === undefined;
	}

	async begin(key: string): Promise<void> {
		this.ops.set(key, {startedAt: new Date().toISOString()});
	}

	async record(key: string, id: string): Promise<void> {
		const startedAt = this.ops.get(key)?.startedAt ?? new Date().toISOString();
		this.ops.set(key, {id, startedAt, doneAt: new Date().toISOString()});
	}
}

/** A journal kept in one JSON file, rewritten atomically (temp file, fsync, rename) on every change. */
export class FileJournal extends MemoryJournal {
	readonly file: string;
	readonly design: string;
	readonly store: string;

	private constructor(file: string, design: string, store: string) {
		super();
		this.file = file;
		this.design = design;
		this.store = store;
	}

	/** Opens the journal of one design in one store, continuing any earlier run of it. */
	static async open(dir: string, design: string, store: string): Promise<FileJournal> {
		const name = createHash('sha256').update(`${store}\n${design}`).digest('hex').slice(0, 24);
		const journal = new FileJournal(path.join(dir, `${name}.json`), design, store);
		let raw: string | undefined;
		try {
			raw = await readFile(journal.file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}

		if (raw !== undefined) {
			const parsed = JSON.parse(raw) as Partial<JournalFile>;
			for (const [key, entry] of Object.entries(parsed.ops ?? {})) journal.ops.set(key, entry);
		}

		return journal;
	}

	override async begin(key: string): Promise<void> {
		await super.begin(key);
		await this.save();
	}

	override async record(key: string, id: string): Promise<void> {
		await super.record(key, id);
		await this.save();
	}

	private async save(): Promise<void> {
		const data: JournalFile = {
			version: 1,
			design: this.design,
			store: this.store,
			ops: Object.fromEntries(this.ops),
		};
		await mkdir(path.dirname(this.file), {recursive: true});
		await writeFileAtomic(this.file, `${JSON.stringify(data, null, '\t')}\n`);
	}
}

/** A stable fingerprint of a design: the same answers give the same journal. */
export function designKey(value: unknown): string {
	return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(item => canonicalJson(item)).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Record<string, unknown>)
			.filter(([, item]) => item !== undefined)
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
	}

	return JSON.stringify(value);
}
