import React, {useDeferredValue, useEffect, useMemo, useReducer, useRef, useState} from 'react';
import {isDiagramRendererLoaded, loadDiagramRenderer} from '../steps/mermaid.js';
import {Box, Text, useApp, useStdout} from 'ink';
import type {Key} from '../src/keys.js';
import {useKeyInput} from './use-key-input.js';
import type {Answers} from '../src/answers.js';
import type {CommitEvent, CommitResult} from '../src/commit.js';
import {draftToAnswers, getIn, type DraftAnswers} from '../src/draft.js';
import {demoteHeadings} from '../src/headings.js';
import {formatKey} from '../src/issues.js';
import {previewMarkdown} from '../src/preview.js';
import {loadSchemas, schemasLoaded, steps} from '../src/schemas.js';
import type {TaskSummary} from '../src/store.js';
import type {EditorResult} from '../src/editor.js';
import {truncate} from '../src/text-layout.js';
import {
	focusKey,
	initialState,
	reduce,
	stopInput,
	stopsOf,
	stopValue,
	withTaskMode,
	draftForValidation,
	type Resume,
	type WizardState,
} from '../src/wizard.js';
import {CommitView} from './CommitView.js';
import {fieldWidthFor, Form} from './Form.js';
import {MarkdownView} from './MarkdownView.js';
import {adviceLines} from './StepAdvice.js';
import {SummaryView} from './SummaryView.js';
import {ColorContext} from './palette.js';

/** How the session ends: with a commit, or cancelled with the draft kept. */
export type SessionEnd =
	{readonly kind: 'committed'; readonly result: CommitResult} | {readonly kind: 'cancelled'};

export type AppProps = {
	/** One line naming the store in use, for the Start screen. */
	readonly storeLabel: string;
	/** Which store: the Summary's commands read the design back from it. @default 'engram' */
	readonly storeKind?: 'engram' | 'embedded';
	readonly initialDraft?: DraftAnswers;
	/** Where a resumed session stood. */
	readonly resume?: Resume;
	readonly agent?: string;
	readonly loadTasks?: () => Promise<TaskSummary[]>;
	readonly commit: (
		answers: Answers,
		onEvent: (event: CommitEvent) => void,
	) => Promise<CommitResult>;
	/** Called with every change, for the draft file. */
	readonly onDraft?: (draft: DraftAnswers, state: WizardState) => void;
	readonly onEnd: (end: SessionEnd) => void;
	/**
	 * Opens a text in the user's editor ($VISUAL or $EDITOR) and resolves with the text saved,
	 * or undefined when it was left unchanged or could not be opened.
	 */
	readonly openEditor?: (text: string) => Promise<EditorResult>;
	/** Colour on screen; false under NO_COLOR or --no-color. @default true */
	readonly color?: boolean;
	/** A line for the Start screen's status line, such as where a draft's copy is kept. */
	readonly notice?: string;
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
	const [state, dispatch] = useReducer(reduce, undefined, () =>
		initialState(props.initialDraft, props.agent, props.resume),
	);
	const [tasks, setTasks] = useState<TaskSummary[]>([]);
	const [result, setResult] = useState<CommitResult>();
	const size = useTerminalSize(props.columns, props.rows);
	const width = Math.max(40, size.columns);
	const height = Math.max(12, size.rows);

	useEffect(() => {
		props.loadTasks?.().then(setTasks, () => setTasks([]));
	}, []);

	// The diagram renderer loads when a screen first shows a diagram (the architecture step, the
	// review and after), not with every session; the preview redraws when it is in.
	const [diagramReady, setDiagramReady] = useState(isDiagramRendererLoaded);
	const showsDiagram =
		(state.screen === 'step' && steps[state.step]?.id === 'architecture') ||
		state.screen === 'review' ||
		state.screen === 'commit' ||
		state.screen === 'summary';
	useEffect(() => {
		if (diagramReady || !showsDiagram) return;
		const timer = setTimeout(() => {
			void loadDiagramRenderer().then(() => setDiagramReady(true));
		}, 50);
		return () => clearTimeout(timer);
	}, [showsDiagram]);

	const onDraft = useRef(props.onDraft);
	onDraft.current = props.onDraft;
	useEffect(() => {
		onDraft.current?.(state.draft, state);
	}, [state]);

	useEffect(() => {
		dispatch({
			type: 'tasks',
			tasks: tasks.map(task => ({id: task.id, label: `${task.id.slice(0, 8)}  ${task.title}`})),
		});
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

	// The steps and their schemas load after the first frame; keys that come before them
	// wait, in order, since moving on validates.
	const [ready, setReady] = useState(schemasLoaded);
	const waiting = useRef<Key[]>([]);
	useEffect(() => {
		if (!ready) void loadSchemas().then(() => setReady(true));
	}, []);
	useEffect(() => {
		if (!ready || waiting.current.length === 0) return;
		const keys = waiting.current;
		waiting.current = [];
		handleKeys(keys);
	}, [ready]);

	const editing = useRef(false);
	// A one-off message for the status line, such as an editor that failed to start.
	const [notice, setNotice] = useState<string>();
	useKeyInput(
		keys => {
			if (keys.some(key => key.type === 'ctrl' && key.letter === 'c')) {
				end(result ? {kind: 'committed', result} : {kind: 'cancelled'});
				return;
			}

			if (!ready) waiting.current.push(...keys);
			else handleKeys(keys);
		},
		{bracketedPaste: props.bracketedPaste},
	);

	function handleKeys(keys: readonly Key[]) {
		if (editing.current) return;
		if (notice) setNotice(undefined);
		const editorKey = keys.findIndex(key => key.type === 'ctrl' && key.letter === 'g');
		if (
			editorKey >= 0 &&
			props.openEditor &&
			stop &&
			(stop.kind === 'text' || stop.kind === 'line')
		) {
			const target = stop;
			editing.current = true;
			props.openEditor(stopValue(target, state)).then(
				outcome => {
					editing.current = false;
					setNotice(outcome.kind === 'failed' ? outcome.message : undefined);
					if (outcome.kind === 'changed') {
						const {text} = outcome;
						const value =
							target.kind === 'line'
								? text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
								: text.replace(/\n$/, '');
						dispatch({type: 'edit', path: target.path, value: stopInput(target, value)});
					}

					dispatch({type: 'scroll', delta: 0});
				},
				() => {
					editing.current = false;
				},
			);
			return;
		}

		if (state.screen === 'start' || state.screen === 'step') {
			const layout = {fieldWidth: fieldWidthFor(formWidth), page: Math.max(1, height - 8), wide};
			dispatch({type: 'keys', keys, layout});
			return;
		}

		for (const key of keys) handleKey(key);
	}

	/** Keys of the Review and Summary screens; the Commit screen reads its own. */
	function handleKey(key: Key) {
		if (state.screen === 'summary') {
			if (
				key.type === 'enter' ||
				key.type === 'escape' ||
				(key.type === 'text' && key.text === 'q')
			) {
				end({kind: 'committed', result: result!});
			}

			return;
		}

		if (state.screen !== 'review') return;
		const page = Math.max(1, height - 8);
		if (key.type === 'ctrl' && key.letter === 'r') dispatch({type: 'toggleRaw'});
		if (key.type === 'ctrl' && key.letter === 'p') dispatch({type: 'back'});
		if (key.type === 'ctrl' && key.letter === 'n') dispatch({type: 'next'});
		if (key.type === 'enter') dispatch({type: 'next'});
		if (key.type === 'pageDown') dispatch({type: 'scroll', delta: page});
		if (key.type === 'pageUp') dispatch({type: 'scroll', delta: -page});
		if (key.type === 'down') dispatch({type: 'scroll', delta: 1});
		if (key.type === 'up') dispatch({type: 'scroll', delta: -1});
	}

	const values = stops.map(item => stopValue(item, state));
	const color = props.color ?? true;
	const tint = (name: string) => (color ? name : undefined);
	const stepId = state.screen === 'step' ? steps[state.step]?.id : undefined;
	// A key's frame draws the fields at once; what is worked out from the whole draft (the
	// step's advice, the preview's markdown drawn for the terminal) follows in a render of its
	// own, a frame behind, so a large step never holds up the key that changed it.
	const settledDraft = useDeferredValue(state.draft);
	// The advice reads the requirements and the partitions answer on the CAP step, the
	// estimate on the scalability step: typing elsewhere in the step does not redo it.
	const adviceSource =
		stepId === 'cap'
			? [settledDraft.requirements, getIn(settledDraft, ['cap', 'partitions'])]
			: stepId === 'scalability'
				? [getIn(settledDraft, ['scalability', 'estimate']), undefined]
				: [undefined, undefined];
	const advice = useMemo(
		() => (stepId ? adviceLines(stepId, settledDraft) : []),
		[stepId, ...adviceSource],
	);
	const previewText = useMemo(
		() =>
			state.preview
				? previewMarkdown(withTaskMode({draft: settledDraft, taskMode: state.taskMode}), state.step)
				: '',
		[state.preview, settledDraft, state.taskMode, state.step, diagramReady],
	);

	// The key hints take one line, or two on a narrow screen.
	const bodyHeight = height - 3 - (width < 100 ? 2 : 1);
	const title = screenTitle(state);
	let body: React.ReactNode;
	let hints: string[];
	switch (state.screen) {
		case 'start':
		case 'step': {
			const form = (formWidth: number) => (
				<Box flexDirection="column" width={formWidth}>
					{advice.map((line, index) => (
						<Text key={index} color={tint('yellow')} wrap="truncate">
							{truncate(line, formWidth)}
						</Text>
					))}
					<Form
						stops={stops}
						values={values}
						focused={focused}
						cursor={state.cursor}
						errors={state.errors}
						width={formWidth}
						height={bodyHeight - advice.length}
					/>
				</Box>
			);
			const preview = (previewWidth: number) => (
				<MarkdownView
					markdown={previewText}
					width={previewWidth}
					height={bodyHeight}
					scroll={state.scroll}
					raw={state.raw}
					color={color}
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
					? [
							'^O back to the fields',
							'PgUp/PgDn scroll',
							'^R raw/drawn',
							'^N next step',
							'^P back',
							'^C quit',
						]
					: [
							stop?.kind === 'text' ? 'Tab next field (Enter: new line)' : 'Tab/Enter next field',
							stop?.kind === 'choice' ? '←/→ choose' : '',
							stop?.list ? '^X delete row' : '',
							stop?.list ? 'Alt+↑/↓ move row' : '',
							props.openEditor && (stop?.kind === 'text' || stop?.kind === 'line')
								? '^G $EDITOR'
								: '',
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
						.map(([path, message]) => `- ${formatKey(path)}: ${message}`)
						.join('\n')}\n\nPress ^P to go back to the steps.`;
			body = (
				<MarkdownView
					markdown={text}
					width={width}
					height={bodyHeight}
					scroll={state.scroll}
					raw={state.raw}
					color={color}
				/>
			);
			hints = [
				answers.ok ? 'Enter commit' : '',
				'↑/↓ PgUp/PgDn scroll',
				'^R raw/drawn',
				'^P back',
				'^C quit',
			].filter(Boolean);
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
			body =
				answers.ok && result ? (
					<SummaryView
						answers={answers.answers}
						result={result}
						storeKind={props.storeKind ?? 'engram'}
						width={width}
						height={bodyHeight}
					/>
				) : null;
			hints = ['q or Enter quit'];
			break;
		}
	}

	const error =
		state.errors.size > 0
			? `${state.errors.size} answer${state.errors.size === 1 ? '' : 's'} to fix before moving on`
			: '';
	const status = error || notice || (state.screen === 'start' ? (props.notice ?? '') : '');
	return (
		<ColorContext.Provider value={color}>
			<Box flexDirection="column" width={width} height={height}>
				<Text wrap="truncate">
					<Text bold color={tint('cyan')}>
						engram-design
					</Text>
					<Text>{` · ${truncate(title, Math.max(10, width - 16))}`}</Text>
				</Text>
				<Text dimColor wrap="truncate">
					{truncate(
						state.screen === 'start' ? `Store: ${props.storeLabel}` : progressLine(state),
						width,
					)}
				</Text>
				<Box height={bodyHeight} flexDirection="column">
					{body}
				</Box>
				<Text color={error ? tint('red') : undefined} dimColor={!error} wrap="truncate">
					{status ? truncate(status, width) : ' '}
				</Text>
				{packHints(hints, width).map((line, index) => (
					<Text key={index} dimColor wrap="truncate">
						{line}
					</Text>
				))}
			</Box>
		</ColorContext.Provider>
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
	return [...lines.slice(0, limit - 1), truncate(lines.slice(limit - 1).join(' · '), width)].filter(
		Boolean,
	);
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

/** Every artifact's exact title, tags and link, then its markdown, as one document. */
export function reviewText(answers: Answers): string {
	return steps
		.map((step, index) => {
			const entity = step.entity(answers, '<task>');
			const confidence =
				entity.confidence === undefined ? '' : ` · confidence ${entity.confidence.toFixed(2)}`;
			return [
				`# ${index + 1}. ${step.label}`,
				'',
				`- Entity: ${entity.kind}${confidence}`,
				`- Title: ${entity.title}`,
				`- Tags: ${entity.tags.join(',')}`,
				`- Link: task --${entity.linkType}--> ${entity.kind}`,
				'',
				demoteHeadings(entity.content.trim()),
				'',
			].join('\n');
		})
		.join('\n');
}
