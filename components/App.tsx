import React, {useEffect, useReducer, useRef, useState} from 'react';
import {Box, Text, useApp, useStdout} from 'ink';
import type {Key} from '../src/keys.js';
import {useKeyInput} from './use-key-input.js';
import type {Answers} from '../src/answers.js';
import type {CommitEvent, CommitResult} from '../src/commit.js';
import {draftToAnswers, type DraftAnswers} from '../src/draft.js';
import {formatPath} from '../src/issues.js';
import {previewMarkdown} from '../src/preview.js';
import type {TaskSummary} from '../src/store.js';
import {truncate} from '../src/text-layout.js';
import {
	focusKey,
	initialState,
	reduce,
	stopsOf,
	stopValue,
	withTaskMode,
	draftForValidation,
	type Resume,
	type WizardState,
} from '../src/wizard.js';
import {steps} from '../steps/index.js';
import {CommitView} from './CommitView.js';
import {fieldWidthFor, Form} from './Form.js';
import {Scroller} from './Scroller.js';
import {SummaryView} from './SummaryView.js';

/** How the session ends: with a commit, or cancelled with the draft kept. */
export type SessionEnd = {readonly kind: 'committed'; readonly result: CommitResult} | {readonly kind: 'cancelled'};

export type AppProps = {
	/** One line naming the store in use, for the Start screen. */
	readonly storeLabel: string;
	readonly initialDraft?: DraftAnswers;
	/** Where a resumed session stood. */
	readonly resume?: Resume;
	readonly agent?: string;
	readonly loadTasks?: () => Promise<TaskSummary[]>;
	readonly commit: (answers: Answers, onEvent: (event: CommitEvent) => void) => Promise<CommitResult>;
	/** Called with every change, for the draft file. */
	readonly onDraft?: (draft: DraftAnswers, state: WizardState) => void;
	readonly onEnd: (end: SessionEnd) => void;
	/** The terminal marks pastes (the session turns bracketed paste mode on). */
	readonly bracketedPaste?: boolean;
	/** Size to lay out for; defaults to the terminal's. */
	readonly columns?: number;
	readonly rows?: number;
};

function useTerminalSize(columns?: number, rows?: number): {columns: number; rows: number} {
	const {stdout} = useStdout();
	const read = () => ({columns: columns ?? stdout.columns ?? 80, rows: rows ?? stdout.rows ?? 24});
	const [size, setSize] = useState(read);
	useEffect(() => {
		const onResize = () => setSize(read());
		stdout.on('resize', onResize);
		return () => {
			stdout.off('resize', onResize);
		};
	}, [stdout, columns, rows]);
	return size;
}

/** The whole interactive session: Start, five steps, Review, Commit, Summary. */
export function App(props: AppProps) {
	const {exit} = useApp();
	const [state, dispatch] = useReducer(reduce, undefined, () => initialState(props.initialDraft, props.agent, props.resume));
	const [tasks, setTasks] = useState<TaskSummary[]>([]);
	const [result, setResult] = useState<CommitResult>();
	const size = useTerminalSize(props.columns, props.rows);
	const width = Math.max(40, size.columns);
	const height = Math.max(12, size.rows);

	useEffect(() => {
		props.loadTasks?.().then(setTasks, () => setTasks([]));
	}, []);

	const onDraft = useRef(props.onDraft);
	onDraft.current = props.onDraft;
	useEffect(() => {
		onDraft.current?.(state.draft, state);
	}, [state]);

	useEffect(() => {
		dispatch({type: 'tasks', tasks: tasks.map(task => ({id: task.id, label: `${task.id.slice(0, 8)}  ${task.title}`}))});
	}, [tasks]);
	const stops = stopsOf(state);
	const focused = Math.min(state.focus[focusKey(state)] ?? 0, Math.max(0, stops.length - 1));
	const stop = stops[focused];
	const wide = width >= 120;
	const formWidth = state.preview && wide ? Math.floor((width - 1) / 2) : width;

	const end = (value: SessionEnd) => {
		props.onEnd(value);
		exit();
	};

	useKeyInput(keys => {
		if (keys.some(key => key.type === 'ctrl' && key.letter === 'c')) {
			end(result ? {kind: 'committed', result} : {kind: 'cancelled'});
			return;
		}

		if (state.screen === 'start' || state.screen === 'step') {
			const layout = {fieldWidth: fieldWidthFor(formWidth), page: Math.max(1, height - 8), wide};
			dispatch({type: 'keys', keys, layout});
			return;
		}

		for (const key of keys) handleKey(key);
	}, {bracketedPaste: props.bracketedPaste});

	/** Keys of the Review and Summary screens; the Commit screen reads its own. */
	function handleKey(key: Key) {
		if (state.screen === 'summary') {
			if (key.type === 'enter' || key.type === 'escape' || (key.type === 'text' && key.text === 'q')) {
				end({kind: 'committed', result: result!});
			}

			return;
		}

		if (state.screen !== 'review') return;
		const page = Math.max(1, height - 8);
		if (key.type === 'ctrl' && key.letter === 'p') dispatch({type: 'back'});
		if (key.type === 'ctrl' && key.letter === 'n') dispatch({type: 'next'});
		if (key.type === 'enter') dispatch({type: 'next'});
		if (key.type === 'pageDown') dispatch({type: 'scroll', delta: page});
		if (key.type === 'pageUp') dispatch({type: 'scroll', delta: -page});
		if (key.type === 'down') dispatch({type: 'scroll', delta: 1});
		if (key.type === 'up') dispatch({type: 'scroll', delta: -1});
	}

	const values = stops.map(item => stopValue(item, state));

	// The key hints take one line, or two on a narrow screen.
	const bodyHeight = height - 3 - (width < 100 ? 2 : 1);
	const title = screenTitle(state);
	let body: React.ReactNode;
	let hints: string[];
	switch (state.screen) {
		case 'start':
		case 'step': {
			const form = (formWidth: number) => (
				<Form
					stops={stops}
					values={values}
					focused={focused}
					cursor={state.cursor}
					errors={state.errors}
					width={formWidth}
					height={bodyHeight}
				/>
			);
			const preview = (previewWidth: number) => (
				<Scroller
					title="Preview"
					text={previewMarkdown(withTaskMode(state), state.step)}
					width={previewWidth}
					height={bodyHeight}
					scroll={state.scroll}
				/>
			);
			if (state.preview && wide) {
				body = (
					<Box>
						{form(formWidth)}
						<Text> </Text>
						{preview(width - formWidth - 1)}
					</Box>
				);
			} else body = state.preview ? preview(width) : form(width);
			hints =
				state.preview && !wide
					? ['^O back to the fields', 'PgUp/PgDn scroll', '^N next step', '^P back', '^C quit']
					: [
							stop?.kind === 'text' ? 'Tab next field (Enter: new line)' : 'Tab/Enter next field',
							stop?.kind === 'choice' ? '←/→ choose' : '',
							stop?.list ? '^X delete row' : '',
							stop?.list ? 'Alt+↑/↓ move row' : '',
							'^N next step',
							state.screen === 'step' ? '^P back' : '',
							state.screen === 'step' ? '^O preview' : '',
							'^C quit',
						].filter(Boolean);
			break;
		}

		case 'review': {
			const answers = draftToAnswers(draftForValidation(state));
			const text = answers.ok
				? reviewText(answers.answers)
				: `Some answers need fixing before the commit:\n\n${[...answers.errors]
						.map(([path, message]) => `- ${formatPath(path.split('.').map(part => (/^\d+$/.test(part) ? Number(part) : part)))}: ${message}`)
						.join('\n')}\n\nPress ^P to go back to the steps.`;
			body = <Scroller title="Review" text={text} width={width} height={bodyHeight} scroll={state.scroll} />;
			hints = [answers.ok ? 'Enter commit' : '', '↑/↓ PgUp/PgDn scroll', '^P back', '^C quit'].filter(Boolean);
			break;
		}

		case 'commit': {
			const answers = draftToAnswers(draftForValidation(state));
			body = answers.ok ? (
				<CommitView
					answers={answers.answers}
					commit={props.commit}
					width={width}
					height={bodyHeight}
					onDone={done => {
						setResult(done);
						dispatch({type: 'goto', screen: 'summary'});
					}}
					onBack={() => dispatch({type: 'goto', screen: 'review'})}
				/>
			) : (
				<Text>Nothing to commit.</Text>
			);
			hints = ['r retry after a failure', '^P back to review', '^C quit (the journal is kept)'];
			break;
		}

		case 'summary': {
			const answers = draftToAnswers(draftForValidation(state));
			body = answers.ok && result ? <SummaryView answers={answers.answers} result={result} width={width} height={bodyHeight} /> : null;
			hints = ['q or Enter quit'];
			break;
		}
	}

	const error = state.errors.size > 0 ? `${state.errors.size} answer${state.errors.size === 1 ? '' : 's'} to fix before moving on` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text wrap="truncate">
				<Text bold color="cyan">engram-design</Text>
				<Text>{` · ${truncate(title, Math.max(10, width - 16))}`}</Text>
			</Text>
			<Text dimColor wrap="truncate">
				{truncate(state.screen === 'start' ? `Store: ${props.storeLabel}` : progressLine(state), width)}
			</Text>
			<Box height={bodyHeight} flexDirection="column">
				{body}
			</Box>
			<Text color="red" wrap="truncate">
				{error ? truncate(error, width) : ' '}
			</Text>
			{packHints(hints, width).map((line, index) => (
				<Text key={index} dimColor wrap="truncate">
					{line}
				</Text>
			))}
		</Box>
	);
}

/** Key hints packed into lines of at most `width` columns, two at most. */
function packHints(hints: readonly string[], width: number): string[] {
	const lines: string[] = [];
	let current = '';
	for (const hint of hints) {
		const next = current ? `${current} · ${hint}` : hint;
		if (next.length > width && current) {
			lines.push(current);
			current = hint;
		} else current = next;
	}

	if (current) lines.push(current);
	const limit = width < 100 ? 2 : 1;
	return [...lines.slice(0, limit - 1), truncate(lines.slice(limit - 1).join(' · '), width)].filter(Boolean);
}

function screenTitle(state: WizardState): string {
	switch (state.screen) {
		case 'start':
			return 'Start: name the system and its task';
		case 'step': {
			const step = steps[state.step]!;
			return `Step ${state.step + 1} of ${steps.length}: ${step.label}`;
		}

		case 'review':
			return 'Review: everything that will be stored';
		case 'commit':
			return 'Commit to the store';
		case 'summary':
			return 'Summary';
	}
}

function progressLine(state: WizardState): string {
	const marks = steps.map((step, index) => {
		const current = state.screen === 'step' && index === state.step;
		return current ? `[${step.label}]` : step.label;
	});
	return `${marks.join(' › ')} › ${state.screen === 'review' ? '[Review]' : 'Review'}`;
}

/** Every artifact's exact title, tags and link, then its markdown. */
export function reviewText(answers: Answers): string {
	return steps
		.map(step => {
			const entity = step.entity(answers, '<task>');
			const meta = [
				`${entity.kind} · title: ${entity.title}`,
				`tags: ${entity.tags.join(',')}${entity.confidence === undefined ? '' : ` · confidence: ${entity.confidence.toFixed(2)}`}`,
				`link: task --${entity.linkType}--> ${entity.kind}`,
			];
			return `━━ ${step.label} ━━\n${meta.join('\n')}\n\n${entity.content}`;
		})
		.join('\n');
}
