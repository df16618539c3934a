import {mkdir, open, readFile, rm} from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type {Io} from './apply.js';
import {paint, useColor} from './color.js';
import {EmbeddedStore} from './embedded.js';
import type {EngramStore} from './engram.js';
import type {Options} from './options.js';
import {UsageError} from './options.js';
import {StoreError} from './store.js';
import {dataDirOf, openStore} from './stores.js';

/** What `push-map.json` holds: for each Engram repository, local id → Engram id. */
type PushMapFile = {
	readonly version: 1;
	readonly targets: Record<string, {ids: Record<string, string>; pending?: string}>;
};

/**
 * The local-to-Engram id map of one target repository, kept in `<data dir>/push-map.json`
 * and rewritten atomically (temp file, fsync, rename) before and after every entity. The
 * entity being created is recorded as pending first, so a push that stops part way can say
 * which entity Engram may already hold.
 */
export class PushMap {
	private constructor(
		readonly file: string,
		readonly target: string,
		private readonly data: PushMapFile,
	) {}

	/** Reads the map (an absent file is an empty map) for pushes into `target`. */
	static async open(file: string, target: string): Promise<PushMap> {
		let data: PushMapFile = {version: 1, targets: {}};
		let raw: string | undefined;
		try {
			raw = await readFile(file, 'utf8');
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		if (raw !== undefined) {
			try {
				const parsed = JSON.parse(raw) as Partial<PushMapFile>;
				if (parsed.version !== 1 || typeof parsed.targets !== 'object' || !parsed.targets) {
					throw new Error('it is not a version 1 push map');
				}
				data = {version: 1, targets: parsed.targets};
			} catch (error) {
				const reason = error instanceof Error ? error.message : String(error);
				throw new StoreError(`${file} cannot be read (${reason}); move it away to push again`);
			}
		}
		data.targets[target] ??= {ids: {}};
		return new PushMap(file, target, data);
	}

	private get entry() {
		return this.data.targets[this.target]!;
	}

	/** The Engram id of a local id, if pushed. */
	id(localId: string): string | undefined {
		return this.entry.ids[localId];
	}

	/** The local id a push started creating and did not see finish, if any. */
	get pending(): string | undefined {
		return this.entry.pending;
	}

	/** Records that this local id is about to be created in Engram. */
	async begin(localId: string): Promise<void> {
		this.entry.pending = localId;
		await this.save();
	}

	/** Records the Engram id made for a local id. */
	async record(localId: string, engramId: string): Promise<void> {
		this.entry.ids[localId] = engramId;
		delete this.entry.pending;
		await this.save();
	}

	private async save(): Promise<void> {
		await mkdir(path.dirname(this.file), {recursive: true});
		await writeFileAtomic(this.file, `${JSON.stringify(this.data, null, '\t')}\n`);
	}
}

/** One entity to replay, in the order Engram needs them. */
type PushOp = {
	readonly kind: 'task' | 'context' | 'reasoning' | 'link';
	readonly localId: string;
	readonly label: string;
	/** Creates it in Engram, with ids already mapped; undefined when it cannot be pushed. */
	readonly create: ((map: PushMap) => Promise<string>) | undefined;
};

// Titles read from the store are shown on one line, without control characters.
const printable = (text: string) => text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, ' ');

/** Every entity of the embedded store as a push operation: tasks, contexts, reasonings, links. */
async function planPush(local: EmbeddedStore, engram: EngramStore): Promise<PushOp[]> {
	const [tasks, contexts, reasonings, links] = await Promise.all([
		local.tasks(),
		local.contexts(),
		local.reasonings(),
		local.links(),
	]);
	const known = new Set([...tasks, ...contexts, ...reasonings].map(entity => entity.id));
	// A task id the embedded store does not hold (a design linked to a task of another
	// store) is passed on unchanged, as apply passed it.
	const mapped = (map: PushMap, id: string) => map.id(id) ?? id;
	const ops: PushOp[] = [];
	for (const task of tasks) {
		ops.push({
			kind: 'task',
			localId: task.id,
			label: task.title,
			create: async () =>
				engram.createTask({
					title: task.title,
					description: task.description,
					priority: task.priority,
					agent: task.agent,
					tags: task.tags,
				}),
		});
	}
	for (const context of contexts) {
		ops.push({
			kind: 'context',
			localId: context.id,
			label: context.title,
			create: async () =>
				engram.createContext({
					title: context.title,
					content: context.content,
					source: context.source,
					tags: context.tags,
					agent: context.agent,
				}),
		});
	}
	for (const reasoning of reasonings) {
		ops.push({
			kind: 'reasoning',
			localId: reasoning.id,
			label: reasoning.title,
			create: async map =>
				engram.createReasoning({
					title: reasoning.title,
					content: reasoning.content,
					taskId: mapped(map, reasoning.taskId),
					confidence: reasoning.confidence,
					tags: reasoning.tags,
					agent: reasoning.agent,
				}),
		});
	}
	for (const link of links) {
		const label =
			`${link.type}: ${link.sourceType} ${link.sourceId.slice(0, 8)} → ` +
			`${link.targetType} ${link.targetId.slice(0, 8)}`;
		// Every link target is a context or reasoning of this store; one that is missing
		// (an unreadable line) has no Engram id to link to.
		ops.push({
			kind: 'link',
			localId: link.id,
			label,
			create: !known.has(link.targetId)
				? undefined
				: async map =>
						engram.createLink({
							sourceId: mapped(map, link.sourceId),
							sourceType: 'task',
							targetId: mapped(map, link.targetId),
							targetType: link.targetType,
							type: link.type,
							agent: link.agent,
						}),
		});
	}
	return ops;
}

/** Holds `<data dir>/push.lock` while a push runs; a lock left by a dead process is taken over. */
async function lock(file: string): Promise<() => Promise<void>> {
	for (let attempt = 0; attempt < 2; attempt++) {
		try {
			const handle = await open(file, 'wx', 0o600);
			await handle.writeFile(`${process.pid}\n`);
			await handle.close();
			return async () => rm(file, {force: true});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
			if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
				throw new StoreError(`another push (process ${pid}) is running; ${file} says so`);
			}
			await rm(file, {force: true});
		}
	}
	throw new StoreError(`${file} could not be taken; remove it if no push is running`);
}

function isAlive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * `engram-design push`: replays the embedded store into the engram binary's store, once.
 * Entities go in dependency order (tasks, contexts, reasonings, then links rewired to
 * Engram's ids); each new id is written to the push map before the next call, so a second
 * push creates nothing and an interrupted one continues. Engram gives every entity a new
 * id and time of its own; titles, contents, tags, agents and confidences travel unchanged.
 */
export async function runPush(options: Options, io: Io): Promise<number> {
	if (options.store === 'embedded') {
		throw new UsageError(
			'push copies the embedded store into engram; --store embedded ' + 'does not apply',
			'push',
		);
	}
	const dataDir = dataDirOf(options, io.cwd);
	const local = new EmbeddedStore({dir: dataDir});
	let engram: EngramStore;
	try {
		engram = (await openStore({...options, store: 'engram'}, io.env, io.cwd)) as EngramStore;
	} catch (error) {
		if (!(error instanceof UsageError)) throw error;
		throw new UsageError(
			'the engram binary is needed; pass --engram PATH or set ENGRAM_BIN',
			'push',
		);
	}
	const color = useColor({env: io.env, stream: io.stdout, flag: options.color});

	const ops = await planPush(local, engram);
	for (const warning of local.warnings()) io.stderr.write(`engram-design: warning: ${warning}\n`);
	if (ops.length === 0) {
		io.stderr.write(`engram-design: the embedded store in ${dataDir} is empty; nothing to push\n`);
		return 0;
	}

	const unlock = await lock(path.join(dataDir, 'push.lock'));
	try {
		const map = await PushMap.open(path.join(dataDir, 'push-map.json'), engram.repo);
		const target = await engram.describe();
		if (map.pending) {
			io.stderr.write(
				`engram-design: warning: the last push stopped while creating ` +
					`${map.pending}; if engram made it then, it is made again now\n`,
			);
		}
		let created = 0;
		let skipped = 0;
		for (const op of ops) {
			const kind = op.kind.padEnd(9);
			const title = printable(op.label);
			const known = map.id(op.localId);
			if (known) {
				io.stdout.write(
					`${paint(color, 'dim', 'kept   ')} ${kind} ${op.localId} → ${known}  ` + `${title}\n`,
				);
				continue;
			}
			if (!op.create) {
				skipped += 1;
				io.stderr.write(
					`engram-design: warning: link ${op.localId} not pushed: its target ` +
						`is not in the embedded store\n`,
				);
				continue;
			}
			await map.begin(op.localId);
			const id = await op.create(map);
			await map.record(op.localId, id);
			created += 1;
			io.stdout.write(
				`${paint(color, 'green', 'created')} ${kind} ${op.localId} → ${id}  ` + `${title}\n`,
			);
		}
		io.stdout.write(
			`${created} created, ${ops.length - created - skipped} already in ` + `${target}\n`,
		);
		if (skipped > 0) {
			throw new StoreError(`${skipped} link${skipped === 1 ? ' was' : 's were'} not pushed`);
		}
		return 0;
	} finally {
		await unlock();
	}
}
