import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {EntityKind} from '../steps/types.js';
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

export type EngramStoreOptions = {
	/** Path of the `engram` executable. */
	readonly bin: string;
	/** Folder engram runs in: the root of the git repository that holds the store. */
	readonly repo: string;
	/** Longest one call may take; 30 s unless set. */
	readonly timeoutMs?: number;
};

/** One link of a task as `task show` lists it. */
export type TaskLink = {
	readonly direction: 'out' | 'in';
	readonly type: string;
	readonly id: string;
	readonly kind?: string;
	readonly title?: string;
};

const DEFAULT_TIMEOUT_MS = 30_000;
// Linux caps one argv element at 128 KiB; longer or multi-line text goes through a file.
const INLINE_LIMIT = 100 * 1024;
const UUID = '[0-9a-f-]{36}';

/** One create command of engram, with what it stores. */
export type CreateOp =
	| {readonly kind: 'task'; readonly task: NewTask}
	| {readonly kind: 'context'; readonly context: NewContext}
	| {readonly kind: 'reasoning'; readonly reasoning: NewReasoning}
	| {readonly kind: 'relationship'; readonly link: NewLink};

/** Text passed through a file: the flag it belongs to (`content`) and the text itself. */
export type TextFile = {readonly flag: string; readonly value: string; readonly index: number};

/** Where a text file is placed: returns the path that follows `--<flag>-file=`. */
export type PlaceFile = (file: TextFile) => string;

/**
 * Lines of engram's output that carry the new id, per create command, first match wins.
 * Each is both a JavaScript pattern and a POSIX extended regular expression (`sed -E`), so
 * the store and the dry-run script read ids the same way.
 */
export const idLinePatterns: Readonly<Record<CreateOp['kind'], readonly string[]>> = {
	// `--output=json` prints the id as the first key of a pretty-printed object; text
	// output, which an older engram might give, has it on an indented `ID:` line.
	task: [`^  "id": "(${UUID})",?$`, `^ *ID: (${UUID})$`],
	context: [`^ID: (${UUID})$`, `^Context '(${UUID})' created successfully$`],
	reasoning: [`^ID: (${UUID})$`, `^Reasoning '(${UUID})' created successfully$`],
	relationship: [`^📋 ID: (${UUID})$`],
};

type CallResult = {readonly stdout: string; readonly stderr: string; readonly exitCode: number};

type Call = {
	/** The command as messages name it: `context create`. */
	readonly label: string;
	/** The argv after the binary; a function when text files must be placed first. */
	readonly args: readonly string[] | ((place: PlaceFile) => string[]);
	/** Exit codes that are answers rather than failures (`show` of a missing id exits 1). */
	readonly allowFailure?: boolean;
};

/**
 * The argv (after the binary) of one engram create command: the single argv builder that
 * the store and `apply --dry-run` share. Every value is one `--flag=value` element, so a
 * value that starts with `-` is never read as a flag. Contents, and any text that cannot be
 * one argv element (a line break, over 100 KiB), go through `--<flag>-file=<path>`, with the
 * path `place` gives; those elements come last, in the order they are placed.
 */
export function createArgv(op: CreateOp, place: PlaceFile): string[] {
	const args: string[] = [op.kind, 'create'];
	const files: {flag: string; value: string}[] = [];
	const text = (flag: string, value: string) => {
		const inline = !/[\r\n\0]/.test(value) && Buffer.byteLength(value) <= INLINE_LIMIT;
		if (inline) args.push(`--${flag}=${value}`);
		else files.push({flag, value});
	};
	switch (op.kind) {
		case 'task': {
			const {task} = op;
			text('title', task.title);
			if (task.description !== '') text('description', task.description);
			args.push(`--priority=${task.priority}`, `--agent=${task.agent}`);
			if (task.tags.length > 0) args.push(`--tags=${task.tags.join(',')}`);
			args.push('--output=json');
			break;
		}
		case 'context': {
			const {context} = op;
			text('title', context.title);
			args.push(`--source=${context.source}`, `--agent=${context.agent}`);
			// Engram 0.6 accepts --tags on contexts and drops them; they are passed all the same.
			if (context.tags.length > 0) args.push(`--tags=${context.tags.join(',')}`);
			files.push({flag: 'content', value: context.content});
			break;
		}
		case 'reasoning': {
			const {reasoning} = op;
			text('title', reasoning.title);
			args.push(
				`--task-id=${reasoning.taskId}`,
				`--confidence=${String(reasoning.confidence)}`,
				`--agent=${reasoning.agent}`,
			);
			if (reasoning.tags.length > 0) args.push(`--tags=${reasoning.tags.join(',')}`);
			files.push({flag: 'content', value: reasoning.content});
			break;
		}
		case 'relationship': {
			const {link} = op;
			args.push(
				`--source-id=${link.sourceId}`,
				`--source-type=${link.sourceType}`,
				`--target-id=${link.targetId}`,
				`--target-type=${link.targetType}`,
				`--relationship-type=${link.type}`,
				`--agent=${link.agent}`,
			);
			break;
		}
	}
	for (const [index, file] of files.entries()) {
		args.push(`--${file.flag}-file=${place({...file, index})}`);
	}
	return args;
}

/** The new id in the output of a create command, read from the lines engram prints it on. */
export function idFromOutput(kind: CreateOp['kind'], stdout: string): string | undefined {
	if (kind === 'task') {
		const id = taskIdFromJson(stdout);
		if (id) return id;
	}
	return firstMatch(
		stdout,
		idLinePatterns[kind].map(pattern => new RegExp(pattern)),
	);
}

/** The Engram CLI as a store: one `engram` process per operation, one at a time. */
export class EngramStore implements Store {
	readonly kind = 'engram';
	readonly bin: string;
	readonly repo: string;
	readonly timeoutMs: number;
	private queue: Promise<unknown> = Promise.resolve();

	constructor(options: EngramStoreOptions) {
		this.bin = options.bin;
		this.repo = options.repo;
		this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	}

	/** `engram 0.6.3 at /usr/bin/engram, store in /work/repo`. */
	async describe(): Promise<string> {
		return `engram ${await this.version()} at ${this.bin}, store in ${this.repo}`;
	}

	/** `engram at /usr/bin/engram, store in /work/repo`: no process is started. */
	identity(): string {
		return `engram at ${this.bin}, store in ${this.repo}`;
	}

	/** Fails as a call would when the binary is missing or not executable; starts nothing. */
	check(): void {
		try {
			fs.accessSync(this.bin, fs.constants.X_OK);
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT')
				throw new StoreError(`engram was not found at ${this.bin}`, '', {cause: error});
			if (code === 'EACCES')
				throw new StoreError(`engram at ${this.bin} is not executable`, '', {cause: error});
		}
	}

	async prepare(): Promise<void> {
		await import('execa');
	}

	/** The version `engram --version` reports. */
	async version(): Promise<string> {
		const {stdout} = await this.run({label: '--version', args: ['--version']});
		const match = /^engram (\S+)/m.exec(stdout);
		if (!match?.[1]) throw new StoreError('engram --version printed no version', stdout);
		return match[1];
	}

	/** Creates a task and returns its id, read from `--output json`. */
	async createTask(task: NewTask): Promise<string> {
		return this.create({kind: 'task', task});
	}

	/** Creates a context; the content goes through a file, byte for byte. */
	async createContext(context: NewContext): Promise<string> {
		return this.create({kind: 'context', context});
	}

	/** Creates a reasoning for a task; its content is stored as the conclusion. */
	async createReasoning(reasoning: NewReasoning): Promise<string> {
		return this.create({kind: 'reasoning', reasoning});
	}

	/** Links the task to an entity and returns the relationship's id. */
	async createLink(link: NewLink): Promise<string> {
		return this.create({kind: 'relationship', link});
	}

	/** Runs one create command and returns the id it printed. */
	private async create(op: CreateOp): Promise<string> {
		const label = `${op.kind} create`;
		const {stdout, stderr} = await this.run({label, args: place => createArgv(op, place)});
		const id = idFromOutput(op.kind, stdout);
		if (!id) throw noId(label, stdout, stderr);
		return id;
	}

	/** The agent's tasks, newest first; ids are the 8-character prefixes the table shows. */
	async listTasks(agent: string): Promise<TaskSummary[]> {
		const args = ['task', 'list', `--agent=${agent}`];
		const {stdout} = await this.run({label: 'task list', args});
		return parseTaskTable(stdout).map(row => ({...row, agent}));
	}

	/** The task with this id or unique prefix, with its full id and title; undefined if none. */
	async findTask(id: string): Promise<TaskSummary | undefined> {
		const result = await this.run({
			label: 'task show',
			args: ['task', 'show', '--', id],
			allowFailure: true,
		});
		if (isNotFound(result)) return undefined;
		if (result.exitCode !== 0) throw failure('task show', result);
		const task = parseTaskShow(result.stdout);
		if (!task) throw new StoreError('engram task show printed no task', result.stdout);
		return task;
	}

	/** The links `task show` lists for this exact task id, with the titles Engram resolves. */
	async taskLinks(taskId: string): Promise<TaskLink[]> {
		const result = await this.run({
			label: 'task show',
			args: ['task', 'show', '--', taskId],
			allowFailure: true,
		});
		if (isNotFound(result)) return [];
		if (result.exitCode !== 0) throw failure('task show', result);
		return parseTaskLinks(result.stdout);
	}

	/** A context or reasoning read back with `context show` / `reasoning show`, if it exists. */
	async showEntity(kind: EntityKind, id: string): Promise<StoredEntity | undefined> {
		const label = `${kind} show`;
		const result = await this.run({label, args: [kind, 'show', '--', id], allowFailure: true});
		if (isNotFound(result)) return undefined;
		if (result.exitCode !== 0) throw failure(label, result);
		const entity =
			kind === 'context' ? parseContextShow(result.stdout) : parseReasoningShow(result.stdout);
		if (!entity) throw new StoreError(`engram ${label} printed no ${kind}`, result.stdout);
		return entity;
	}

	/**
	 * Every reasoning of every agent, as `reasoning list --all` shows it: 8-character id
	 * prefixes and titles cut to 40 bytes, newest first. engram-cli.md does not describe this
	 * listing; its table is read the way the fake engram prints it, modelled on engram's source.
	 */
	async listReasonings(): Promise<{id: string; title: string}[]> {
		const {stdout} = await this.run({
			label: 'reasoning list',
			args: ['reasoning', 'list', '--all'],
		});
		return parseReasoningTable(stdout);
	}

	/** Ids reachable from the task along its links (the task itself left out). */
	async connected(taskId: string): Promise<string[]> {
		const {stdout} = await this.run({
			label: 'relationship connected',
			args: ['relationship', 'connected', `--entity-id=${taskId}`],
		});
		const ids = [...stdout.matchAll(/^🔗 (.+)$/gm)].map(match => match[1] ?? '');
		return ids.filter(id => id !== '' && id !== taskId);
	}

	/** Runs one call after every earlier one has finished. */
	private run(call: Call): Promise<CallResult> {
		const result = this.queue.then(async () => this.execute(call));
		this.queue = result.catch(() => undefined);
		return result;
	}

	private async execute(call: Call): Promise<CallResult> {
		let dir: string | undefined;
		const files: {name: string; value: string}[] = [];
		try {
			const args =
				typeof call.args === 'function'
					? call.args(file => {
							dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'engram-design-'));
							const name = path.join(dir, `${file.flag}-${file.index}.txt`);
							files.push({name, value: file.value});
							return name;
						})
					: [...call.args];
			if (args.some(arg => arg.includes('\0'))) {
				const reason = 'a value contains a NUL character';
				throw new StoreError(`engram ${call.label} was not run: ${reason}`);
			}
			if (!isDirectory(this.repo)) {
				const reason = `${this.repo} is not a folder`;
				throw new StoreError(`engram ${call.label} was not run: ${reason}`);
			}
			// Synchronously, as the folder is made: each call waits for them, and a few system
			// calls cost less than a round trip to the thread pool apiece.
			for (const file of files) fs.writeFileSync(file.name, file.value, {mode: 0o600});
			// execa is loaded with the first call, not with the module: opening a session
			// need not wait for it.
			const {execa} = await import('execa');
			const result = await execa(this.bin, args, {
				cwd: this.repo,
				stdin: 'ignore',
				reject: false,
				timeout: this.timeoutMs,
				// `show` prints content verbatim; its last newline is part of it.
				stripFinalNewline: false,
				maxBuffer: 256 * 1024 * 1024,
				// A call is not cut off because this process ends: engram finishes what it was
				// writing, and the journal's begun entry is looked for on the next run.
				cleanup: false,
			});
			if (result.timedOut) {
				throw new StoreError(
					`engram ${call.label} timed out after ${seconds(this.timeoutMs)}`,
					result.stderr,
				);
			}
			if (result.code === 'ENOENT') {
				const message = `engram was not found at ${this.bin}`;
				throw new StoreError(message, '', {cause: result.cause});
			}
			if (result.code === 'EACCES') {
				const message = `engram at ${this.bin} is not executable`;
				throw new StoreError(message, '', {cause: result.cause});
			}
			if (result.exitCode === undefined && !result.isTerminated) {
				const reason = result.code ?? result.shortMessage;
				throw new StoreError(`engram ${call.label} could not be started: ${reason}`, '', {
					cause: result.cause,
				});
			}
			if (result.isTerminated) {
				throw new StoreError(
					`engram ${call.label} was killed by ${result.signal ?? 'a signal'}`,
					result.stderr,
				);
			}
			const exitCode = result.exitCode ?? 0;
			const done = {stdout: result.stdout, stderr: result.stderr, exitCode};
			if (done.exitCode !== 0 && !call.allowFailure) throw failure(call.label, done);
			return done;
		} finally {
			if (dir) fs.rmSync(dir, {recursive: true, force: true});
		}
	}

	/**
	 * Looks for what a commit asked Engram to create before a crash kept its id from the
	 * journal. Tasks, contexts and reasonings: the list of the agent's (a reasoning's also of
	 * its task), cut down by title, then each candidate shown in full and compared, the
	 * newest first; only what was created from `since` on counts. Links: `relationship list`
	 * of the same source and target.
	 */
	async findEntity(query: EntityQuery): Promise<string | undefined> {
		await this.waitForStrayCalls();
		const since = query.since === undefined ? undefined : query.since.slice(0, 19);
		const recent = (created: string | undefined) =>
			since === undefined || (created !== undefined && created.slice(0, 19) >= since);
		switch (query.kind) {
			case 'task': {
				const want = query.value;
				const list = await this.run({
					label: 'task list',
					args: ['task', 'list', `--agent=${want.agent}`],
				});
				for (const row of parseTaskTable(list.stdout)) {
					if (!titleFits(row.title, want.title)) continue;
					const result = await this.run({
						label: 'task show',
						args: ['task', 'show', '--', row.id],
						allowFailure: true,
					});
					if (isNotFound(result)) continue;
					if (result.exitCode !== 0) throw failure('task show', result);
					const task = parseTaskDetails(result.stdout);
					if (!task) continue;
					const same =
						recent(task.createdAt) &&
						task.title === want.title &&
						task.description === want.description &&
						task.agent === want.agent;
					if (same) return task.id;
				}
				return undefined;
			}
			case 'context':
			case 'reasoning': {
				const want = query.value;
				const args = [query.kind, 'list', `--agent=${want.agent}`, '--all'];
				if (query.kind === 'reasoning') args.push(`--task-id=${query.value.taskId}`);
				const list = await this.run({label: `${query.kind} list`, args});
				for (const row of tableRows(list.stdout)) {
					const [id = '', ...cells] = row;
					const title = cells[query.kind === 'context' ? 0 : 1] ?? '';
					if (id === '' || !titleFits(title, want.title)) continue;
					const entity = await this.showEntity(query.kind, id);
					if (!entity) continue;
					const same =
						recent(entity.createdAt) &&
						entity.title === want.title &&
						entity.content === want.content &&
						(query.kind === 'context' || entity.taskId === query.value.taskId);
					if (same) return entity.id;
				}
				return undefined;
			}
			case 'link': {
				const want = query.value;
				const {stdout} = await this.run({
					label: 'relationship list',
					args: [
						'relationship',
						'list',
						`--source-id=${want.sourceId}`,
						`--target-id=${want.targetId}`,
					],
				});
				const found = parseRelationshipList(stdout).filter(
					item =>
						item.active &&
						item.sourceId === want.sourceId &&
						item.targetId === want.targetId &&
						item.type === want.type &&
						item.agent === want.agent,
				);
				return found.at(-1)?.id;
			}
		}
	}

	/**
	 * Waits for engram processes still working in this repository that this store did not
	 * start: a call left running by an engram-design that was killed may yet store what a
	 * lookup is about to search for. Linux only (it reads /proc); elsewhere it returns at once.
	 */
	private async waitForStrayCalls(): Promise<void> {
		const deadline = Date.now() + this.timeoutMs;
		for (;;) {
			const pids = engramProcessesIn(this.bin, this.repo);
			if (pids.length === 0) return;
			if (Date.now() > deadline) {
				throw new StoreError(
					`an engram process (${pids.join(', ')}) is still working in ${this.repo}; ` +
						'run the same command again once it has ended',
				);
			}
			await new Promise(resolve => {
				setTimeout(resolve, 50);
			});
		}
	}
}

/**
 * The engram executable: `--engram PATH`, then `ENGRAM_BIN`, then `engram` on PATH.
 * A given path is returned even when nothing is there, so the store can say so; a bare
 * name that is not a file in the current folder is looked up on PATH.
 */
export function findEngram(options: {engram?: string; env: NodeJS.ProcessEnv}): string | undefined {
	const given = options.engram || options.env['ENGRAM_BIN'];
	if (given) {
		const resolved = path.resolve(given);
		if (fs.existsSync(resolved) || given.includes(path.sep)) return resolved;
		return searchPath(given, options.env) ?? resolved;
	}
	return searchPath('engram', options.env);
}

/** The top of the git work tree that contains dir (the folder holding `.git`), if any. */
export function repoRoot(dir: string): string | undefined {
	let current = path.resolve(dir);
	for (;;) {
		if (fs.existsSync(path.join(current, '.git'))) return current;
		const parent = path.dirname(current);
		if (parent === current) return undefined;
		current = parent;
	}
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
	for (const dir of (env['PATH'] ?? '').split(path.delimiter)) {
		const candidate = path.resolve(dir === '' ? '.' : dir, name);
		try {
			fs.accessSync(candidate, fs.constants.X_OK);
			if (fs.statSync(candidate).isFile()) return candidate;
		} catch {
			// Not here, or not executable: keep looking.
		}
	}
	return undefined;
}

function isDirectory(dir: string): boolean {
	try {
		return fs.statSync(dir).isDirectory();
	} catch {
		return false;
	}
}

function seconds(ms: number): string {
	const value = Number((ms / 1000).toFixed(3));
	return `${value} ${value === 1 ? 'second' : 'seconds'}`;
}

function firstLine(text: string): string {
	return (
		text
			.split('\n')
			.map(line => line.trim())
			.find(line => line !== '') ?? ''
	);
}

function failure(label: string, result: CallResult): StoreError {
	const reason =
		firstLine(result.stderr) || firstLine(result.stdout) || `exit code ${result.exitCode}`;
	return new StoreError(`engram ${label} failed: ${reason}`, result.stderr || result.stdout);
}

function noId(label: string, stdout: string, stderr: string): StoreError {
	const detail = [stdout, stderr].filter(Boolean).join('\n');
	return new StoreError(`engram ${label} printed no id`, detail);
}

function isNotFound(result: CallResult): boolean {
	return result.exitCode === 1 && /^Error: Not found: /m.test(result.stderr);
}

function firstMatch(text: string, patterns: readonly RegExp[]): string | undefined {
	for (const line of text.split('\n')) {
		for (const pattern of patterns) {
			const match = pattern.exec(line);
			if (match?.[1]) return match[1];
		}
	}
	return undefined;
}

function taskIdFromJson(stdout: string): string | undefined {
	try {
		const value: unknown = JSON.parse(stdout);
		if (value && typeof value === 'object' && 'id' in value && typeof value.id === 'string') {
			return new RegExp(`^${UUID}$`).test(value.id) ? value.id : undefined;
		}
	} catch {
		// Text output: the caller falls back to the `ID:` line.
	}
	return undefined;
}

/** Rows of the `task list` table: 8-character id prefixes and titles cut to 40 bytes. */
export function parseTaskTable(stdout: string): TaskSummary[] {
	const rows: {id: string; title: string}[] = [];
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('│')) continue;
		const cells = line
			.split('│')
			.slice(1, -1)
			.map(cell => cell.trim());
		if (cells.length < 6) continue;
		const id = cells[0] ?? '';
		const title = cells.slice(3, -2).join('│');
		if (id === 'ID' && rows.length === 0 && title === 'Title') continue;
		const last = rows.at(-1);
		if (id === '' && last) last.title += `\n${title}`;
		else if (id !== '') rows.push({id, title});
	}
	return rows;
}

/** Rows of the `reasoning list` table (ID, Status, Title, Task ID, Agent): ids and titles. */
export function parseReasoningTable(stdout: string): {id: string; title: string}[] {
	const rows: {id: string; title: string}[] = [];
	let header = true;
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('│')) continue;
		const cells = line
			.split('│')
			.slice(1, -1)
			.map(cell => cell.trim());
		if (cells.length < 5) continue;
		const id = cells[0] ?? '';
		// A title holding `│` spreads over several cells; the last two are Task ID and Agent.
		const title = cells.slice(2, -2).join('│');
		if (header) {
			header = false;
			if (id === 'ID' && title === 'Title') continue;
		}
		const last = rows.at(-1);
		if (id === '' && last) last.title += `\n${title}`;
		else if (id !== '') rows.push({id, title});
	}
	return rows;
}

/** The full id, title and agent from `task show`'s details block. */
export function parseTaskShow(stdout: string): TaskSummary | undefined {
	const id = /^ {2}ID: (\S+)$/m.exec(stdout)?.[1];
	if (!id) return undefined;
	const titleStart = stdout.indexOf('\n  Title: ');
	const titleEnd = stdout.indexOf('\n  Description: ', titleStart);
	if (titleStart === -1 || titleEnd === -1) return undefined;
	const title = stdout.slice(titleStart + '\n  Title: '.length, titleEnd);
	const tail = stdout.slice(titleEnd);
	const agents = [...tail.matchAll(/\n {2}Priority: \w+\n {2}Agent: (.*)\n {2}Created: /g)];
	const agent = agents.at(-1)?.[1];
	return agent === undefined ? {id, title} : {id, title, agent};
}

/** The `🔗 Related Entities` lines of `task show`. */
export function parseTaskLinks(stdout: string): TaskLink[] {
	const start = stdout.indexOf('🔗 Related Entities:\n');
	if (start === -1) return [];
	const links: TaskLink[] = [];
	const pattern = /^ {2}([→←]) \[([^\]]*)\] (\S+) (?:\((\w+)\)(?:— (.*))?)?$/;
	for (const line of stdout.slice(start).split('\n').slice(2)) {
		if (line === '') break;
		const match = pattern.exec(line);
		if (!match) continue;
		const [, arrow = '', type = '', id = '', kind, title] = match;
		links.push({
			direction: arrow === '→' ? 'out' : 'in',
			type,
			id,
			...(kind === undefined ? {} : {kind}),
			...(title === undefined ? {} : {title}),
		});
	}
	return links;
}

function createdAt(block: string): string | undefined {
	const match = /^Created: (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC$/m.exec(block);
	return match ? `${match[1]}T${match[2]}Z` : undefined;
}

function between(text: string, start: string, end: string): string | undefined {
	const from = text.indexOf(start);
	if (from === -1) return undefined;
	const to = text.indexOf(end, from + start.length);
	if (to === -1) return undefined;
	return text.slice(from + start.length, to);
}

/** A context from `context show`: the content is everything under `Content:`, verbatim. */
export function parseContextShow(stdout: string): StoredEntity | undefined {
	const id = /^ID: (\S+)$/m.exec(stdout)?.[1];
	const title = between(stdout, '\nTitle: ', '\nAgent: ');
	const marker = '\nContent:\n--------\n';
	const at = stdout.indexOf(marker);
	if (!id || title === undefined || at === -1) return undefined;
	let content = stdout.slice(at + marker.length);
	if (content.endsWith('\n')) content = content.slice(0, -1);
	const created = createdAt(stdout.slice(0, at));
	return {id, kind: 'context', title, content, ...(created ? {createdAt: created} : {})};
}

/**
 * A reasoning from `reasoning show`: the conclusion is the content. Engram prints the
 * confidence with two decimals, so that is all the precision read back.
 */
export function parseReasoningShow(stdout: string): StoredEntity | undefined {
	const id = /^ID: (\S+)$/m.exec(stdout)?.[1];
	const title = between(stdout, '\nTitle: ', '\nTask ID: ');
	if (!id || title === undefined) return undefined;
	const taskStart = stdout.indexOf('\nTask ID: ') + '\nTask ID: '.length;
	const taskId = stdout.slice(taskStart, stdout.indexOf('\n', taskStart));
	const created = createdAt(stdout);
	const base = {
		id,
		kind: 'reasoning' as const,
		title,
		taskId,
		...(created ? {createdAt: created} : {}),
	};
	const marker = '\nFinal Conclusion:\n  ';
	const at = stdout.indexOf(marker);
	if (at === -1) return {...base, content: ''};
	const rest = stdout.slice(at + marker.length);
	const confidenceAt = rest.lastIndexOf('\n  Overall Confidence: ');
	if (confidenceAt === -1) return {...base, content: rest.replace(/\n$/, '')};
	const line = /^\n {2}Overall Confidence: (\S+)/.exec(rest.slice(confidenceAt));
	const confidence = Number(line?.[1]);
	return {
		...base,
		content: rest.slice(0, confidenceAt),
		...(Number.isFinite(confidence) ? {confidence} : {}),
	};
}

/** Whether a title as a list table shows it (cut to 40 bytes, `...` added) can be `title`. */
function titleFits(shown: string, title: string): boolean {
	if (shown === title) return true;
	return shown.endsWith('...') && title.startsWith(shown.slice(0, -3));
}

/** The cells of each body row of a `│` table; a row with no id continues the one above. */
function tableRows(stdout: string): string[][] {
	const rows: string[][] = [];
	let header = true;
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('│')) {
			if (line.startsWith('├')) header = false;
			continue;
		}
		if (header) continue;
		const cells = line
			.split('│')
			.slice(1, -1)
			.map(cell => cell.trim());
		const last = rows.at(-1);
		if (cells[0] === '' && last) {
			for (const [index, cell] of cells.entries()) {
				if (cell !== '') last[index] = `${last[index] ?? ''}\n${cell}`;
			}
		} else rows.push(cells);
	}
	return rows;
}

/** The task block of `task show`: id, title, description, agent and creation time. */
function parseTaskDetails(stdout: string):
	| {
			id: string;
			title: string;
			description: string;
			agent?: string;
			createdAt?: string;
	  }
	| undefined {
	const summary = parseTaskShow(stdout);
	const description = between(stdout, '\n  Description: ', '\n  Status: ');
	if (!summary || description === undefined) return undefined;
	const match = /^ {2}Created: (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) UTC$/m.exec(stdout);
	const createdAt = match ? `${match[1]}T${match[2]}` : undefined;
	return {...summary, description, ...(createdAt ? {createdAt} : {})};
}

/** A relationship as `relationship list` prints it. */
type ListedRelationship = {
	readonly id: string;
	readonly active: boolean;
	readonly sourceId: string;
	readonly type: string;
	readonly targetId: string;
	readonly agent: string;
};

/** The items of `relationship list`: numbered blocks with an id, an arrow and an agent line. */
function parseRelationshipList(stdout: string): ListedRelationship[] {
	const items: ListedRelationship[] = [];
	const blocks = stdout.split(/^(?=\d+\. \S+ \[[A-Z]+\]$)/m).slice(1);
	for (const block of blocks) {
		const head = /^\d+\. (\S+) \[([A-Z]+)\]$/m.exec(block);
		const arrow = /^ {3}🔗 (\S+) --\[([^\]]*)\]--> (\S+)$/m.exec(block);
		const agent = /^ {3}👤 Agent: (.*) \| 📅 Created: /m.exec(block);
		if (!head?.[1] || !arrow?.[1] || !arrow[3] || agent?.[1] === undefined) continue;
		items.push({
			id: head[1],
			active: head[2] === 'ACTIVE',
			sourceId: arrow[1],
			type: arrow[2] ?? '',
			targetId: arrow[3],
			agent: agent[1],
		});
	}
	return items;
}

/** Ids of running processes of this engram executable whose working folder is `repo`. */
function engramProcessesIn(bin: string, repo: string): number[] {
	let entries: string[];
	try {
		entries = fs.readdirSync('/proc');
	} catch {
		return [];
	}
	const target = realPath(repo);
	const bins = new Set([bin, realPath(bin)]);
	const found: number[] = [];
	for (const entry of entries) {
		if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
		try {
			const argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
			// A binary runs as `binary args` (perhaps by another path to the same file), a
			// script as `interpreter script args`, on its way there as `env interpreter script`.
			const named = argv.slice(0, 3).some(arg => bins.has(arg));
			if (!named && !bins.has(realPath(`/proc/${entry}/exe`))) continue;
			if (realPath(fs.readlinkSync(`/proc/${entry}/cwd`)) !== target) continue;
			const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
			if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) continue;
			found.push(Number(entry));
		} catch {
			// Gone meanwhile, or another user's: not ours to wait for.
		}
	}
	return found;
}

function realPath(file: string): string {
	try {
		return fs.realpathSync(file);
	} catch {
		return file;
	}
}
