import {mkdir} from 'node:fs/promises';
import path from 'node:path';
import {setFlagsFromString} from 'node:v8';
import type {Io} from './apply.js';
import type {Answers} from './answers.js';
import {useColor} from './color.js';
import type {CommitEvent, CommitResult} from './commit.js';
import {DraftSaver, draftPath, keepCopy, readDraft, retireDraft, type DraftFile} from './drafts.js';
import type {Options} from './options.js';
import {UsageError} from './options.js';
import {editInEditor} from './editor.js';
import {loadSchemas} from './schemas.js';
import type {Store} from './store.js';
import {chooseStore, dataDirOf, openChosenStore, type StoreChoice} from './stores.js';
import type {SessionEnd} from '../components/App.js';

const BRACKETED_PASTE_ON = '\u001B[?2004h';
const BRACKETED_PASTE_OFF = '\u001B[?2004l';

// Signals that end a session: a closed terminal or tmux pane, kill, and an interrupt sent
// from outside (Ctrl+C typed in the session is a key, not a signal).
const signalNumbers = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const;
const exitSignals = Object.keys(signalNumbers) as (keyof typeof signalNumbers)[];
/** How long a signalled session waits for keys already typed before it saves and exits. */
const SIGNAL_GRACE_MS = 100;

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
export async function runSession({
	resume,
	options,
	io,
	stdin = process.stdin,
}: SessionInput): Promise<number> {
	const stdout = io.stdout as NodeJS.WriteStream;
	if (!stdin.isTTY || !stdout.isTTY) {
		throw new UsageError(
			'the interactive session needs a terminal; to commit without one, use engram-design apply FILE',
			resume ? 'resume' : 'session',
		);
	}

	// Without colour (--no-color, NO_COLOR) the screens name no colours; inverse and bold
	// stay, since they are not colours and the cursor is drawn in inverse. chalk, which Ink
	// draws with, would drop every style on seeing --no-color in argv, so while Ink loads
	// (chalk decides once, when imported) FORCE_COLOR asks it for styles.
	const color = useColor({env: io.env, stream: stdout, flag: options.color});
	const forceColor = process.env['FORCE_COLOR'];
	if (!color) process.env['FORCE_COLOR'] = '1';
	// The screen's modules load while the draft is read.
	const screen = Promise.all([
		import('ink'),
		import('react'),
		import('../components/App.js'),
	]).finally(() => {
		if (forceColor === undefined) delete process.env['FORCE_COLOR'];
		else process.env['FORCE_COLOR'] = forceColor;
	});
	// Awaited below; a refusal before then must not leave it unhandled.
	screen.catch(() => undefined);

	const dataDir = dataDirOf(options, io.cwd);
	const file = draftPath(dataDir);
	const saved: DraftFile | undefined = readDraft(file);
	if (resume && !saved) throw new UsageError(`there is no draft to resume in ${dataDir}`, 'resume');
	// A plain start opens the saved draft on the Start screen and offers a new design instead;
	// a copy of the draft is kept first, so choosing a new design loses nothing.
	// One session per data folder: a second one would write over the first one's draft.
	await mkdir(dataDir, {recursive: true});
	const {acquireLock, releaseLockSync} = await import('./journal.js');
	const draftLock = `${file}.lock`;
	await acquireLock(
		draftLock,
		pid =>
			new UsageError(
				`another engram-design session (process ${pid}) is using ${dataDir}; ` +
					'finish it first, or give this one its own --data-dir',
				resume ? 'resume' : 'session',
			),
	);
	process.on('exit', () => releaseLockSync(draftLock));
	const kept = saved && !resume ? keepCopy(file, saved) : undefined;

	// What can refuse the store (--store engram without a binary, a --repo inside another
	// repository, a bad ENGRAM_DESIGN_TIMEOUT_MS) is settled before the screen; otherwise the
	// store is chosen with the rest, after the first frame.
	const mayRefuse =
		options.store === 'engram' ||
		options.repo !== undefined ||
		io.env['ENGRAM_DESIGN_TIMEOUT_MS'] !== undefined;
	const chosen: StoreChoice | undefined = mayRefuse
		? await chooseStore(options, io.env, io.cwd)
		: undefined;
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

	// A signal ends the session at once, but keys typed just before it may still wait to be
	// read: they get a moment to reach the draft, which is then written before the exit.
	let leaving = false;
	const onSignal = (signal: NodeJS.Signals) => {
		if (leaving) return;
		leaving = true;
		setTimeout(() => {
			flush();
			instance.unmount();
			process.exit(128 + signalNumbers[signal as keyof typeof signalNumbers]);
		}, SIGNAL_GRACE_MS);
	};

	let store: Promise<Store> | undefined;
	let storeLabel: Promise<string> | undefined;
	const openStore = () =>
		(store ??= (chosen ? Promise.resolve(chosen) : chooseStore(options, io.env, io.cwd)).then(
			openChosenStore,
		));
	const describeStore = () => (storeLabel ??= openStore().then(opened => opened.describe()));

	const commit = async (
		answers: Answers,
		onEvent: (event: CommitEvent) => void,
	): Promise<CommitResult> => {
		flush();
		const [{commitDesign}, {designKey, FileJournal}, {loadDiagramRenderer}, opened] =
			await Promise.all([
				import('./commit.js'),
				import('./journal.js'),
				import('../steps/mermaid.js'),
				openStore(),
			]);
		await loadDiagramRenderer();
		const journals = path.join(dataDir, 'journal');
		const journal = await FileJournal.open(journals, designKey(answers), opened.identity());
		try {
			return await commitDesign({answers, store: opened, journal, onEvent});
		} finally {
			await journal.close();
		}
	};

	const element = (label: string, storeKind?: Store['kind']) =>
		React.createElement(App, {
			storeLabel: label,
			storeKind,
			initialDraft: saved?.draft,
			resume: saved
				? resume
					? {screen: saved.screen, step: saved.step, focus: saved.focus, taskMode: saved.taskMode}
					: {taskMode: saved.taskMode, offerNew: {savedAt: saved.savedAt}}
				: undefined,
			notice: kept ? `The saved draft is open; a copy is kept in ${kept}` : undefined,
			agent: options.agent,
			bracketedPaste: true,
			color,
			openEditor: (text: string) =>
				editInEditor(text, {
					env: io.env,
					suspend() {
						instance.clear();
						stdout.write(BRACKETED_PASTE_OFF);
						stdin.setRawMode(false);
					},
					resume() {
						stdin.setRawMode(true);
						stdout.write(`${BRACKETED_PASTE_ON}\u001B[2J\u001B[H`);
					},
				}),
			loadTasks: async () => (await openStore()).listTasks(options.agent ?? 'default'),
			commit,
			onDraft: (draft, state) =>
				saver.save({
					draft,
					screen: state.screen === 'commit' || state.screen === 'summary' ? 'review' : state.screen,
					step: state.step,
					focus: state.focus,
					taskMode: state.taskMode,
				}),
			onEnd: value => {
				end = value;
			},
		});

	const instance = render(element('opening the store…'), {exitOnCtrlC: false});

	// Bracketed paste: the terminal marks pasted text, so a pasted line break never submits.
	stdout.write(BRACKETED_PASTE_ON);
	process.on('exit', () => {
		try {
			stdout.write(BRACKETED_PASTE_OFF);
		} catch {
			// The terminal is gone: nothing to restore.
		}
	});
	for (const signal of exitSignals) process.on(signal, onSignal);
	process.on('uncaughtException', error => {
		flush();
		// EIO on a write: the terminal is gone (a closed pane hangs it up before SIGHUP is
		// handled). Nothing can be shown any more; leave as a hangup does.
		if ((error as NodeJS.ErrnoException).code === 'EIO') process.exit(128 + signalNumbers.SIGHUP);
		instance.unmount();
		io.stderr.write(
			`engram-design: unexpected failure: ${error.message}; the draft is saved in ${file}\n`,
		);
		process.exit(1);
	});

	// V8 doubles the young generation each time its objects outlive a collection, up to
	// 16 MiB a half: loading the modules grows it to 4, a session's stream of frames would
	// take it to the top and keep it there, some 12 MiB of the process's memory. What a frame
	// leaves behind dies young at any size, so from here on it stays as loading left it.
	setFlagsFromString('--semi-space-growth-factor=1');

	// Drawn; now what the first frame did without. A store that cannot say what it is (no
	// engram at the path given, one that fails) ends the session as it would have before.
	let running = true;
	let storeFailure: unknown;
	describeStore().then(
		async label => {
			const {kind} = await openStore();
			if (running) instance.rerender(element(label, kind));
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
		for (const signal of exitSignals) process.off(signal, onSignal);
	}

	if (storeFailure !== undefined) throw storeFailure;
	if (end.kind === 'committed') {
		retireDraft(file);
		io.stdout.write(
			`\nStored: task ${end.result.taskId} and ${end.result.entities.length} artifacts, each linked.\n`,
		);
		return 0;
	}

	io.stdout.write(`\nDraft saved in ${file}; continue with engram-design resume.\n`);
	return 0;
}
