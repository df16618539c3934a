import stringWidth from 'string-width';
import type {Io} from './apply.js';
import {paint, useColor} from './color.js';
import type {EmbeddedStore} from './embedded.js';
import type {EngramStore} from './engram.js';
import type {Options} from './options.js';
import {artifactOf} from './show.js';
import type {StoredEntity} from './store.js';
import {openStore} from './stores.js';

/** One design in a store, as `list` shows it. */
export type DesignEntry = {
	readonly system: string;
	readonly taskId: string;
	/** When its CAP analysis was stored (ISO 8601), if the store says. */
	readonly createdAt?: string;
	/** CP, AP or CA as its CAP analysis records it; `?` when the text does not say. */
	readonly choice: string;
};

/**
 * The CAP choice recorded in a CAP analysis: the `**Choice:**` line that opens the
 * `## Recommendation for …` section the cap step writes. Text a user typed above it cannot
 * produce that heading and line pair unless it copies them.
 */
export function capChoiceOf(content: string): string {
	const match = /\n## Recommendation for [^\n]*\n\n\*\*Choice:\*\* (CP|AP|CA)\b/.exec(content);
	return match?.[1] ?? '?';
}

function entryOf(entity: StoredEntity): DesignEntry | undefined {
	const artifact = artifactOf(entity.title);
	if (entity.kind !== 'reasoning' || artifact?.step !== 'cap') return undefined;
	return {
		system: artifact.system,
		taskId: entity.taskId ?? '',
		...(entity.createdAt ? {createdAt: entity.createdAt} : {}),
		choice: capChoiceOf(entity.content),
	};
}

/**
 * The designs a store holds, newest first. A design is found by its CAP analysis: every
 * design has exactly one, and as a reasoning it names its task. In Engram, `task list` shows
 * one agent's tasks only, so the reasonings of all agents are listed instead
 * (`reasoning list --all`) and each CAP analysis among them is read with `reasoning show`.
 */
export async function listDesigns(store: EngramStore | EmbeddedStore): Promise<DesignEntry[]> {
	const entities: StoredEntity[] = [];
	if (store.kind === 'engram') {
		for (const row of await store.listReasonings()) {
			if (artifactOf(row.title)?.step !== 'cap') continue;
			const entity = await store.showEntity('reasoning', row.id);
			if (entity) entities.push(entity);
		}
	} else {
		entities.push(...(await store.entities()));
	}
	const entries = entities.flatMap(entity => entryOf(entity) ?? []);
	// Stable: designs stored in the same second keep the store's own order.
	return entries
		.map((entry, index) => ({entry, index}))
		.sort(
			(a, b) =>
				(b.entry.createdAt ?? '').localeCompare(a.entry.createdAt ?? '') ||
				(store.kind === 'engram' ? a.index - b.index : b.index - a.index),
		)
		.map(({entry}) => entry);
}

/** `2026-12-04 16:21 UTC` from an ISO time. */
function when(iso: string | undefined): string {
	return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : '(time unknown)';
}

// Titles read from a store may hold what this program never writes; a control character
// would act on the terminal, so each is shown as U+FFFD.
const printable = (text: string) =>
	text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, '\uFFFD');

/** One line per design: system, task id, when, CAP choice; system names padded to align. */
export function formatDesigns(entries: readonly DesignEntry[], color: boolean): string {
	const systems = entries.map(entry => printable(entry.system));
	const width = Math.max(0, ...systems.map(system => stringWidth(system)));
	return entries
		.map((entry, index) => {
			const system = systems[index] ?? '';
			const pad = ' '.repeat(width - stringWidth(system));
			return (
				`${paint(color, 'bold', system)}${pad}  ${printable(entry.taskId)}  ` +
				`${paint(color, 'dim', when(entry.createdAt))}  ${entry.choice}\n`
			);
		})
		.join('');
}

/** `engram-design list`: the designs in the store in use. */
export async function runList(options: Options, io: Io): Promise<number> {
	const store = (await openStore(options, io.env, io.cwd)) as EngramStore | EmbeddedStore;
	const entries = await listDesigns(store);
	if (entries.length === 0) {
		io.stderr.write(`engram-design: no designs in the store (${await store.describe()})\n`);
		return 0;
	}
	const color = useColor({env: io.env, stream: io.stdout, flag: options.color});
	io.stdout.write(formatDesigns(entries, color));
	return 0;
}
