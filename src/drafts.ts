import {copyFileSync, mkdirSync, readFileSync, renameSync, rmSync} from 'node:fs';
import {mkdir, open, rm} from 'node:fs/promises';
import path from 'node:path';
import {writeFileAtomicSync} from './atomic-write.js';
import type {DraftAnswers} from './draft.js';
import {UsageError} from './options.js';
import type {ScreenName, TaskMode} from './wizard.js';

/** The draft format written by this version. */
export const draftVersion = 1;

/** What a draft file holds: the answers as typed and where the session was. */
export type DraftFile = {
	readonly version: number;
	readonly savedAt: string;
	readonly screen: ScreenName;
	readonly step: number;
	readonly focus: Readonly<Record<string, number>>;
	readonly taskMode: TaskMode;
	readonly draft: DraftAnswers;
};

/** The draft file of a data folder. */
export function draftPath(dataDir: string): string {
	return path.join(dataDir, 'draft.json');
}

/** A draft that cannot be opened; the file is left as it is. Exit code 2, as bad input. */
export class DraftError extends UsageError {
	constructor(
		readonly file: string,
		readonly reason: string,
	) {
		super(`${file}: the draft cannot be read (${reason}); it was left untouched`);
		this.name = 'DraftError';
	}
}

/** Reads a draft, or undefined when there is none; older formats are brought forward. */
export function readDraft(file: string): DraftFile | undefined {
	let raw: string;
	try {
		raw = readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
		throw new DraftError(file, (error as Error).message);
	}

	let data: unknown;
	try {
		data = JSON.parse(raw);
	} catch (error) {
		throw new DraftError(file, `not JSON: ${(error as Error).message}`);
	}

	return upgradeDraft(data, file);
}

/** Brings any known draft format to the current one. */
export function upgradeDraft(data: unknown, file: string): DraftFile {
	if (!data || typeof data !== 'object' || Array.isArray(data)) {
		throw new DraftError(file, 'not a draft object');
	}

	const record = data as Record<string, unknown>;
	const version = typeof record['version'] === 'number' ? record['version'] : 0;
	if (version > draftVersion) {
		throw new DraftError(file, `written by a newer engram-design (format ${version})`);
	}

	// Format 0 was the bare answers object.
	const draft = version === 0 ? record : record['draft'];
	if (!draft || typeof draft !== 'object' || Array.isArray(draft)) {
		throw new DraftError(file, 'it holds no answers');
	}

	const screens: readonly ScreenName[] = ['start', 'step', 'review'];
	const screen = screens.includes(record['screen'] as ScreenName)
		? (record['screen'] as ScreenName)
		: 'start';
	return {
		version: draftVersion,
		savedAt: typeof record['savedAt'] === 'string' ? record['savedAt'] : '',
		screen,
		step:
			typeof record['step'] === 'number' ? Math.max(0, Math.min(4, Math.floor(record['step']))) : 0,
		focus: isNumberRecord(record['focus']) ? record['focus'] : {},
		taskMode: record['taskMode'] === 'existing' ? 'existing' : 'new',
		draft: draft as DraftAnswers,
	};
}

function isNumberRecord(value: unknown): value is Record<string, number> {
	return (
		!!value &&
		typeof value === 'object' &&
		Object.values(value).every(
			item => typeof item === 'number' && Number.isInteger(item) && item >= 0,
		)
	);
}

/** Sets a draft aside once it has been committed, so the next session starts afresh. */
export function retireDraft(file: string): void {
	try {
		renameSync(file, `${file}.committed`);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
	}
}

/**
 * Saves drafts at most `delayMs` after a change, and at once on `flush()`. Every write is
 * atomic (temp file, fsync, rename), so a crash leaves the previous or the next draft.
 * Writes after a change run in the background, so that typing never waits for a disk
 * flush; `flush()` writes synchronously and wins over any background write still under way.
 */
export class DraftSaver {
	private pending: DraftFile | undefined;
	private timer: NodeJS.Timeout | undefined;
	/** The draft a background write is putting in place, and its temp file, until it is there. */
	private writing: {readonly draft: DraftFile; readonly temp: string} | undefined;
	/** Counts writes, so that a background write never replaces a draft written after it began. */
	private generation = 0;

	constructor(
		readonly file: string,
		readonly delayMs = 300,
	) {}

	/** Queues a draft to be written soon. */
	save(draft: Omit<DraftFile, 'version' | 'savedAt'>): void {
		this.pending = {version: draftVersion, savedAt: new Date().toISOString(), ...draft};
		this.timer ??= setTimeout(() => this.writeInBackground(), this.delayMs);
	}

	/** Writes the queued draft now, synchronously, so it also works in exit handlers. */
	flush(): void {
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		const draft = this.pending ?? this.writing?.draft;
		if (this.writing) rmSync(this.writing.temp, {force: true});
		this.pending = undefined;
		this.writing = undefined;
		if (!draft) return;
		this.generation++;
		mkdirSync(path.dirname(this.file), {recursive: true});
		writeFileAtomicSync(this.file, serialize(draft));
	}

	private writeInBackground(): void {
		this.timer = undefined;
		const draft = this.pending;
		this.pending = undefined;
		if (!draft) return;
		const generation = ++this.generation;
		const temp = `${this.file}.${process.pid}.background-${generation}.tmp`;
		this.writing = {draft, temp};
		const isCurrent = () => generation === this.generation;
		void (async () => {
			try {
				await mkdir(path.dirname(this.file), {recursive: true});
				const handle = await open(temp, 'w');
				try {
					await handle.writeFile(serialize(draft));
					await handle.sync();
				} finally {
					await handle.close();
				}

				// Checked and renamed in one turn of the event loop: flush() cannot come between.
				if (isCurrent()) {
					renameSync(temp, this.file);
					this.writing = undefined;
				} else await rm(temp, {force: true});
			} catch (error) {
				await rm(temp, {force: true}).catch(() => undefined);
				// A failed save surfaces as an uncaught error, as a failed synchronous one did.
				if (isCurrent()) throw error;
			}
		})();
	}
}

function serialize(draft: DraftFile): string {
	return `${JSON.stringify(draft, null, '\t')}\n`;
}

/** Copies a draft beside itself, named by when it was saved; returns the copy's path. */
export function keepCopy(file: string, draft: DraftFile): string {
	const stamp = (draft.savedAt || new Date().toISOString()).replace(/[^0-9T]/g, '').slice(0, 15);
	const copy = path.join(path.dirname(file), `draft-${stamp || 'saved'}.json`);
	copyFileSync(file, copy);
	return copy;
}
