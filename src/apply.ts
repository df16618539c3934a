import path from 'node:path';
import type {Answers} from './answers.js';
import {loadAnswers} from './answers-file.js';
import {commitDesign, type CommitEvent} from './commit.js';
import {designKey, FileJournal} from './journal.js';
import type {Options} from './options.js';
import {StoreError, type Store} from './store.js';
import {dataDirOf, openStore} from './stores.js';
import {loadDiagramRenderer} from '../steps/mermaid.js';

export type Io = {
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream;
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
};

/** Applies the command-line overrides (--task, --agent) to validated answers. */
export function withOverrides(answers: Answers, options: Options): Answers {
	return {
		...answers,
		...(options.task ? {task: {id: options.task}} : {}),
		...(options.agent ? {agent: options.agent} : {}),
	};
}

/** `engram-design apply FILE`: validate, then commit through the journal. */
export async function runApply(file: string, options: Options, io: Io): Promise<number> {
	const answers = withOverrides(await loadAnswers(file, io.cwd), options);
	// The stored diagram is drawn by the renderer; it must be loaded before entities are built.
	// It loads while the first engram call runs: every store call also waits for it once it
	// has answered, and an entity is built only after a call has (see waitingFor below).
	const opened = await openStore(options, io.env, io.cwd);
	// A store that cannot be used at all says so now, before the commit begins; what its calls
	// need is loaded before the renderer starts loading, which would hold up the first call.
	opened.check?.();
	await opened.prepare?.();
	const store = waitingFor(loadDiagramRenderer, opened);
	// Named by the store's identity, not describe(): that would start `engram --version`.
	const journal = await FileJournal.open(
		path.join(dataDirOf(options, io.cwd), 'journal'),
		designKey(answers),
		store.identity(),
	);
	// A commit continued from a journal may build entities before it calls the store at all.
	if (journal.ops.size > 0) await loadDiagramRenderer();
	let result;
	try {
		result = await commitDesign({
			answers,
			store,
			journal,
			onEvent: event => io.stdout.write(formatEvent(event)),
		});
	} catch (error) {
		throw error instanceof StoreError ? continueHint(error) : error;
	} finally {
		await journal.close();
	}

	io.stdout.write(`task ${result.taskId}: ${result.entities.length} artifacts and links stored\n`);
	return 0;
}

/**
 * The store, each of its calls also waiting for `load()` once it has answered; `load()` is
 * started by the first call, after that call has started its own work. A fresh commit
 * builds its first entity after the task is created or looked up, and each one after the
 * call before it, so an entity is never built before `load()` has finished.
 */
function waitingFor(load: () => Promise<unknown>, store: Store): Store {
	let ready: Promise<unknown> | undefined;
	return new Proxy(store, {
		get(target, name, receiver) {
			const value: unknown = Reflect.get(target, name, receiver);
			if (typeof value !== 'function') return value;
			return (...args: unknown[]) => {
				const result: unknown = value.apply(target, args);
				if (!(result instanceof Promise)) return result;
				// After what the call does at once (spawning engram): a load started first,
				// which may compile a whole module there and then, would hold the call up.
				ready ??= new Promise(resolve => setImmediate(resolve)).then(load);
				return result.then(async answer => {
					await ready;
					return answer;
				});
			};
		},
	});
}

// Whatever was stored before the failure is in the journal; the same apply picks it up.
function continueHint(error: StoreError): StoreError {
	const message = `${error.message}; run the same apply again to continue where it stopped`;
	return new StoreError(message, error.detail, {cause: error});
}

function formatEvent(event: CommitEvent): string {
	switch (event.type) {
		case 'start':
			return '';
		case 'warn':
			return `warning: ${event.message}\n`;
		case 'done': {
			const how = event.recovered ? 'found  ' : event.reused ? 'kept   ' : 'created';
			return `${how} ${event.id}  ${event.label}\n`;
		}
	}
}
