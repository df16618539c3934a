import {createHash, randomBytes} from 'node:crypto';
import {mkdirSync, readFileSync, rmSync} from 'node:fs';
import {link, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomicSync} from './atomic-write.js';
import {StoreError} from './store.js';

/** One recorded operation: the id it produced, or that it was started and not seen to finish. */
export type JournalEntry = {
	readonly id?: string;
	readonly startedAt: string;
	readonly doneAt?: string;
};

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
	/** When a pending operation was last started; undefined unless it is pending. */
	pendingSince(key: string): string | undefined;
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

	pendingSince(key: string): string | undefined {
		const entry = this.ops.get(key);
		return entry && entry.id === undefined ? entry.startedAt : undefined;
	}

	async begin(key: string): Promise<void> {
		this.ops.set(key, {startedAt: new Date().toISOString()});
	}

	async record(key: string, id: string): Promise<void> {
		const startedAt = this.ops.get(key)?.startedAt ?? new Date().toISOString();
		this.ops.set(key, {id, startedAt, doneAt: new Date().toISOString()});
	}
}

/**
 * A journal kept in one JSON file, rewritten atomically (temp file, fsync, rename) on every
 * change. While it is open, `<file>.lock` names the process that holds it, so two processes
 * never commit the same design into the same store at once; `close()` lets it go, and a lock
 * left by a process that no longer runs is taken over.
 */
export class FileJournal extends MemoryJournal {
	readonly file: string;
	readonly lockFile: string;
	readonly design: string;
	readonly store: string;
	/** Whether an id has been recorded since the file was last written. */
	private unsaved = false;

	private constructor(file: string, design: string, store: string) {
		super();
		this.file = file;
		this.lockFile = `${file}.lock`;
		this.design = design;
		this.store = store;
	}

	/** Opens the journal of one design in one store, continuing any earlier run of it. */
	static async open(dir: string, design: string, store: string): Promise<FileJournal> {
		const name = createHash('sha256').update(`${store}\n${design}`).digest('hex').slice(0, 24);
		const journal = new FileJournal(path.join(dir, `${name}.json`), design, store);
		await mkdir(dir, {recursive: true});
		await lock(journal.lockFile);
		let raw: string | undefined;
		try {
			raw = await readFile(journal.file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
				await journal.close();
				throw error;
			}
		}

		if (raw !== undefined) {
			let parsed: Partial<JournalFile>;
			try {
				parsed = JSON.parse(raw) as Partial<JournalFile>;
			} catch (error) {
				await journal.close();
				const reason = (error as Error).message;
				throw new StoreError(`the commit journal ${journal.file} cannot be read (${reason})`);
			}

			for (const [key, entry] of Object.entries(parsed.ops ?? {})) journal.ops.set(key, entry);
		}

		return journal;
	}

	override async begin(key: string): Promise<void> {
		await super.begin(key);
		await this.save();
	}

	/**
	 * Records an id in memory; it is written with the next operation's beginning, before that
	 * operation runs, or when the journal is closed: one write per operation instead of two.
	 * A process that dies in between leaves the operation begun and not recorded, which the
	 * next run looks for in the store, as it does for a process killed during the call.
	 */
	override async record(key: string, id: string): Promise<void> {
		await super.record(key, id);
		this.unsaved = true;
	}

	/** Writes what is recorded, and lets the journal go so that another process may continue it. */
	async close(): Promise<void> {
		if (this.unsaved) await this.save();
		if ((await lockHolder(this.lockFile)) === process.pid) await rm(this.lockFile, {force: true});
	}

	private async save(): Promise<void> {
		this.unsaved = false;
		const data: JournalFile = {
			version: 1,
			design: this.design,
			store: this.store,
			ops: Object.fromEntries(this.ops),
		};
		// Synchronously: the next operation waits for this write in any case, and a handful of
		// system calls in a row cost less than a round trip to the thread pool for each.
		mkdirSync(path.dirname(this.file), {recursive: true});
		writeFileAtomicSync(this.file, `${JSON.stringify(data, null, '\t')}\n`);
	}
}

/** Another process is committing the same design into the same store right now. */
export class JournalBusyError extends StoreError {
	constructor(
		readonly pid: number,
		readonly lockFile: string,
	) {
		super(
			`another engram-design (process ${pid}) is committing this design; run the command ` +
				`again once it has finished (if no such process runs, delete ${lockFile})`,
		);
		this.name = 'JournalBusyError';
	}
}

// The lock file is written whole under another name and then hard-linked into place, so it
// never exists without the holder's pid in it (where hard links are not to be had, it is
// created exclusively and written). Taking over a stale lock removes it and tries again; two
// processes that find the same stale lock in the same instant may both get past it, a window
// of a few system calls after a crash.
async function lock(
	file: string,
	busy: (pid: number, file: string) => Error = (pid, lockFile) =>
		new JournalBusyError(pid, lockFile),
): Promise<void> {
	const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
	const pid = `${process.pid}\n`;
	await writeFile(temp, pid, {mode: 0o600});
	try {
		for (let attempt = 0; attempt < 5; attempt++) {
			try {
				await link(temp, file).catch(async (error: NodeJS.ErrnoException) => {
					if (error.code === 'EEXIST') throw error;
					await writeFile(file, pid, {flag: 'wx', mode: 0o600});
				});
				return;
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}

			const holder = await lockHolder(file);
			if (holder === process.pid) return;
			if (holder !== undefined && isRunning(holder)) throw busy(holder, file);
			await rm(file, {force: true});
		}

		throw new StoreError(`the lock ${file} keeps coming back; is another engram-design running?`);
	} finally {
		await rm(temp, {force: true});
	}
}

/**
 * Takes a lock file for this process, taking over one left by a process that is gone; a
 * live holder gets the error `busy` makes.
 */
export async function acquireLock(
	file: string,
	busy: (pid: number, file: string) => Error,
): Promise<void> {
	await lock(file, busy);
}

/** Lets a lock go, if this process holds it; synchronous, so exit handlers can call it. */
export function releaseLockSync(file: string): void {
	try {
		if (Number(readFileSync(file, 'utf8').trim()) === process.pid) rmSync(file, {force: true});
	} catch {
		// No lock, or not ours: nothing to let go.
	}
}

async function lockHolder(file: string): Promise<number | undefined> {
	try {
		const pid = Number((await readFile(file, 'utf8')).trim());
		return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
	} catch {
		return undefined;
	}
}

/** Whether a process runs: it exists and, where /proc tells, is not a zombie. */
function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
	}

	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
	} catch {
		return true;
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
