import path from 'node:path';
import type {Io} from './apply.js';
import type {Answers} from './answers.js';
import type {CommitEvent, CommitResult} from './commit.js';
import {DraftSaver, draftPath, readDraft, retireDraft, type DraftFile} from './drafts.js';
import type {Options} from './options.js';
import {UsageError} from './options.js';
import type {Store} from './store.js';
import {loadSchemas} from './schemas.js';
import {chooseStore, dataDirOf, openChosenStore} from './stores.js';
import type {SessionEnd} from '../components/App.js';

type SessionInput = {
	readonly resume: boolean;
	readonly options: Options;
	readonly io: Io;
	readonly stdin?: NodeJS.ReadStream;
};

/**
 * The interactive session: refuses without a terminal, keeps a draft, commits through the
 * journal. The first frame is drawn before the store is opened: the store's module, the
 * engram binary's version and its task list arrive a moment later and are filled in.
 */
export async function runSession({resume, options, io, stdin = process.stdin}: SessionInput): Promise<number> {
	const stdout = io.stdout as NodeJS.WriteStream;
	if (!stdin.isTTY || !stdout.isTTY) {
		throw new UsageError(
			'the interactive session needs a terminal; to commit without one, use engram-design apply FILE',
			resume ? 'resume' : 'session',
		);
	}

	// The screen's modules load while the draft is read and the store chosen.
	const screen = Promise.all([import('ink'), import('react'), import('../components/App.js')]);
	const dataDir = dataDirOf(options, io.cwd);
	const file = draftPath(dataDir);
	const saved: DraftFile | undefined = readDraft(file);
	if (resume && !saved) throw new UsageError(`there is no draft to resume in ${dataDir}`, 'resume');

	// Only --store engram can be refused (no binary found), and that should come before the
	// screen does; otherwise the store is chosen with the rest, after the first frame.
	const chosen = options.store === 'engram' ? await chooseStore(options, io.env, io.cwd) : undefined;
	const saver = new DraftSaver(file);
	const [{render}, {default: React}, {App}] = await screen;
	// A session resumed past the Start screen needs the steps' schemas for its first frame.
	if (saved && resume && saved.screen !== 'start') await loadSchemas();

	let end = {kind: 'cancelled'} as SessionEnd;
	const flush = () => {
		try {
			saver.flush();
		} catch (error) {
			io.stderr.write(`engram-design: the draft could not be saved: ${(error as Error).message}\n`);
		}
	};

	const onSignal = (signal: NodeJS.Signals) => {
		flush();
		instance.unmount();
		process.exit(signal === 'SIGINT' ? 130 : 128 + (signal === 'SIGHUP' ? 1 : 15));
	};

	let store: Promise<Store> | undefined;
	let storeLabel: Promise<string> | undefined;
	const openStore = () => (store ??= (chosen ? Promise.resolve(chosen) : chooseStore(options, io.env, io.cwd)).then(openChosenStore));
	const describeStore = () => (storeLabel ??= openStore().then(opened => opened.describe()));

	const commit = async (answers: Answers, onEvent: (event: CommitEvent) => void): Promise<CommitResult> => {
		flush();
		const [{commitDesign}, {designKey, FileJournal}, opened] = await Promise.all([
			import('./commit.js'),
			import('./journal.js'),
			openStore(),
		]);
		const journal = await FileJournal.open(path.join(dataDir, 'journal'), designKey(answers), opened.identity());
		return commitDesign({answers, store: opened, journal, onEvent});
	};

	const element = (label: string) =>
		React.createElement(App, {
			storeLabel: label,
			initialDraft: saved?.draft,
			resume: saved && resume ? {screen: saved.screen, step: saved.step, focus: saved.focus, taskMode: saved.taskMode} : undefined,
			agent: options.agent,
			loadTasks: async () => (await openStore()).listTasks(options.agent ?? 'default'),
			commit,
			onDraft: (draft, state) =>
				saver.save({draft, screen: state.screen === 'commit' || state.screen === 'summary' ? 'review' : state.screen, step: state.step, focus: state.focus, taskMode: state.taskMode}),
			onEnd: value => {
				end = value;
			},
		});

	const instance = render(element('opening the store…'), {exitOnCtrlC: false});

	for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, onSignal);
	process.on('uncaughtException', error => {
		flush();
		instance.unmount();
		io.stderr.write(`engram-design: unexpected failure: ${error.message}; the draft is saved in ${file}\n`);
		process.exit(1);
	});

	// Drawn; now what the first frame did without. A store that cannot say what it is (no
	// engram at the path given, one that fails) ends the session as it would have before.
	let running = true;
	let storeFailure: unknown;
	describeStore().then(
		label => {
			if (running) instance.rerender(element(label));
		},
		(error: unknown) => {
			if (!running) return;
			storeFailure = error;
			instance.unmount();
		},
	);
	void loadSchemas();

	try {
		await instance.waitUntilExit();
	} finally {
		running = false;
		flush();
		for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.off(signal, onSignal);
	}

	if (storeFailure !== undefined) throw storeFailure;
	if (end.kind === 'committed') {
		retireDraft(file);
		io.stdout.write(`Stored: task ${end.result.taskId} and ${end.result.entities.length} artifacts, each linked.\n`);
		return 0;
	}

	io.stdout.write(`Draft saved in ${file}; continue with engram-design resume.\n`);
	return 0;
}
