import {taskPriorities} from './priorities.js';
import {answerSchemasNow, steps} from './schemas.js';
import {deriveSlug} from './slug.js';
import {
	draftToAnswers,
	getIn,
	pathKey,
	setIn,
	validatePart,
	type DraftAnswers,
	type FieldErrors,
	type Path,
} from './draft.js';
import {applyKey, type Key} from './editing.js';
import {LINE_LIMIT, TEXT_LIMIT} from '../steps/limits.js';
import type {FieldSpec} from '../steps/types.js';

/** The screens of a session, in order. */
export type ScreenName = 'start' | 'step' | 'review' | 'commit' | 'summary';

export type TaskMode = 'new' | 'existing';

/** One place the cursor can be: a single value of the answers. */
export type Stop = {
	readonly key: string;
	readonly path: Path;
	readonly kind: 'line' | 'text' | 'number' | 'choice';
	readonly label: string;
	/** The field this stop belongs to, for grouping on screen. */
	readonly group: string;
	readonly groupLabel: string;
	readonly options?: readonly string[];
	readonly optional?: boolean;
	readonly placeholder?: string;
	readonly hint?: string;
	/** For rows of lists and tables: the list's path and the row's index. */
	readonly list?: {readonly path: Path; readonly row: number; readonly rows: number};
	/** A list column held as lines of text. */
	readonly lines?: boolean;
};

export type WizardState = {
	readonly screen: ScreenName;
	/** Index into the five steps when `screen` is `step`. */
	readonly step: number;
	/** Focused stop per screen, by key (`start`, `step:2`). */
	readonly focus: Readonly<Record<string, number>>;
	readonly draft: DraftAnswers;
	readonly taskMode: TaskMode;
	/** Messages shown beside fields; set when moving on is refused, cleared by editing. */
	readonly errors: FieldErrors;
	readonly preview: boolean;
	/** Show markdown as written instead of drawn. */
	readonly raw: boolean;
	readonly scroll: number;
	/** Existing tasks offered on the Start screen. */
	readonly tasks: readonly {readonly id: string; readonly label: string}[];
	/** Cursor in the focused field (UTF-16 offset); undefined puts it at the end. */
	readonly cursor: number | undefined;
	/** When a saved draft was opened on the Start screen: its time, to offer a new design. */
	readonly savedDraft: {readonly savedAt: string; readonly kept: boolean} | undefined;
	/** The saved draft's answers while a new design is chosen instead, to switch back. */
	readonly setAside?: DraftAnswers;
};

/** The options of the Start screen's draft choice. */
export const draftChoices = ['continue the saved draft', 'start a new design'] as const;

/** What key handling needs to know of the layout. */
export type KeyLayout = {
	/** Columns of a field's text, for moving up and down wrapped lines. */
	readonly fieldWidth: number;
	/** Lines a page key scrolls. */
	readonly page: number;
	/** Whether the preview stands beside the fields (else it replaces them). */
	readonly wide: boolean;
};

export type WizardAction =
	| {readonly type: 'edit'; readonly path: Path; readonly value: unknown}
	| {readonly type: 'focus'; readonly delta: number}
	| {readonly type: 'focusKey'; readonly key: string}
	/** A navigation key: Up and Down move between fields except inside multi-line text. */
	| {readonly type: 'nav'; readonly key: 'up' | 'down' | 'enter'}
	| {readonly type: 'tasks'; readonly tasks: WizardState['tasks']}
	/** Keys typed on the Start and step screens, applied in order. */
	| {readonly type: 'keys'; readonly keys: readonly Key[]; readonly layout: KeyLayout}
	| {readonly type: 'next'}
	| {readonly type: 'back'}
	| {readonly type: 'taskMode'; readonly mode: TaskMode}
	| {readonly type: 'togglePreview'}
	| {readonly type: 'toggleRaw'}
	| {readonly type: 'scroll'; readonly delta: number}
	| {readonly type: 'deleteRow'}
	| {readonly type: 'moveRow'; readonly delta: number}
	| {readonly type: 'goto'; readonly screen: ScreenName; readonly step?: number};

/** Where a saved session stood, to continue it at the same step and field. */
export type Resume = Partial<Pick<WizardState, 'screen' | 'step' | 'focus' | 'taskMode'>> & {
	/** A draft opened by a plain start, not by resume: the Start screen offers a new design. */
	readonly offerNew?: {readonly savedAt: string};
};

/** A fresh session, or one continued from a draft. */
export function initialState(
	draft: DraftAnswers = {},
	agent?: string,
	resume: Resume = {},
): WizardState {
	const task = getIn(draft, ['task']);
	return {
		screen: resume.screen ?? 'start',
		step: resume.step ?? 0,
		focus: resume.focus ?? {},
		draft: agent && getIn(draft, ['agent']) === undefined ? setIn(draft, ['agent'], agent) : draft,
		taskMode:
			resume.taskMode ?? (task && typeof task === 'object' && 'id' in task ? 'existing' : 'new'),
		errors: new Map(),
		preview: false,
		raw: false,
		scroll: 0,
		tasks: [],
		cursor: undefined,
		savedDraft: resume.offerNew ? {savedAt: resume.offerNew.savedAt, kept: true} : undefined,
	};
}

/** The key under which a screen's focus is remembered. */
export function focusKey(state: Pick<WizardState, 'screen' | 'step'>): string {
	return state.screen === 'step' ? `step:${state.step}` : state.screen;
}

/** The stops of the Start screen. */
export function startStops(
	state: Pick<WizardState, 'draft' | 'taskMode'> & Partial<Pick<WizardState, 'savedDraft'>>,
	taskChoices: readonly string[] = [],
): Stop[] {
	const system = getIn(state.draft, ['system']);
	const derived =
		typeof system === 'string' && system.trim() ? deriveSlug(system) : 'derived from the name';
	const one = (path: Path, label: string, extra: Partial<Stop> = {}): Stop => ({
		key: pathKey(path),
		path,
		kind: 'line',
		label,
		group: pathKey(path),
		groupLabel: label,
		...extra,
	});
	const stops: Stop[] = state.savedDraft
		? [
				one(['@draft'], 'Draft', {
					kind: 'choice',
					options: draftChoices,
					hint: state.savedDraft.savedAt,
				}),
			]
		: [];
	stops.push(
		one(['system'], 'System name', {placeholder: 'e.g. Collaborative Document Editor'}),
		one(['slug'], 'Slug', {optional: true, placeholder: derived, hint: 'used in tags'}),
		one(['agent'], 'Agent', {optional: true, placeholder: 'default'}),
		one(['task', '@mode'], 'Task', {
			kind: 'choice',
			options: ['create a new task', 'use an existing task'],
		}),
	);
	if (state.taskMode === 'new') {
		stops.push(
			one(['task', 'title'], 'Task title', {
				optional: true,
				placeholder: `System design: ${typeof system === 'string' && system.trim() ? system.trim() : '<system>'}`,
			}),
			one(['task', 'priority'], 'Priority', {kind: 'choice', options: taskPriorities}),
		);
	} else {
		stops.push(one(['task', 'id'], 'Task id', {placeholder: 'full id or unique prefix'}));
		if (taskChoices.length > 0) {
			stops.push(one(['task', '@pick'], 'Pick a task', {kind: 'choice', options: taskChoices}));
		}
	}

	return stops;
}

/** The stops of one design step, rows of lists and tables expanded, one blank row to add to. */
export function stepStops(stepIndex: number, draft: DraftAnswers): Stop[] {
	const step = steps[stepIndex];
	if (!step) return [];
	// Stops depend on the draft only through the number of rows of each list and table, and
	// they are asked for several times a key: the last ones are kept for as long as that
	// shape holds (a design with hundreds of rows has a thousand stops).
	const shape = [
		step.id,
		...step.fields.map(field =>
			field.kind === 'list' || field.kind === 'table'
				? asList(getIn(draft, [step.id, ...field.path])).length
				: '',
		),
	].join(':');
	if (lastStops?.shape === shape) return lastStops.stops;
	const stops: Stop[] = [];
	for (const field of step.fields) stops.push(...fieldStops(step.id, field, draft));
	lastStops = {shape, stops: Object.freeze(stops) as Stop[]};
	return stops;
}

let lastStops: {readonly shape: string; readonly stops: Stop[]} | undefined;

function fieldStops(stepId: string, field: FieldSpec, draft: DraftAnswers): Stop[] {
	const path: Path = [stepId, ...field.path];
	const group = pathKey(path);
	const base = {group, groupLabel: field.label, hint: field.hint};
	switch (field.kind) {
		case 'line':
		case 'text':
		case 'number':
			return [
				{...base, key: group, path, kind: field.kind, label: field.label, optional: field.optional},
			];
		case 'choice':
			return [
				{...base, key: group, path, kind: 'choice', label: field.label, options: field.options},
			];
		case 'list': {
			const items = asList(getIn(draft, path));
			const rows = items.length + 1;
			return Array.from({length: rows}, (_, row) => ({
				...base,
				key: pathKey([...path, row]),
				path: [...path, row],
				kind: 'line' as const,
				label: `${row + 1}.`,
				optional: row === rows - 1,
				placeholder: row === rows - 1 ? (row === 0 ? '' : '(type to add a row)') : undefined,
				list: {path, row, rows},
			}));
		}

		case 'table': {
			const items = asList(getIn(draft, path));
			const rows = items.length + 1;
			const out: Stop[] = [];
			for (let row = 0; row < rows; row++) {
				for (const [index, column] of field.columns.entries()) {
					const cell: Path = [...path, row, column.key];
					out.push({
						...base,
						key: pathKey(cell),
						path: cell,
						kind: column.list ? 'text' : 'line',
						label: index === 0 ? `${row + 1}. ${column.label}` : `   ${column.label}`,
						optional: column.optional || row === rows - 1,
						placeholder:
							row === rows - 1 && row > 0
								? index === 0
									? '(type to add a row)'
									: ''
								: column.optional
									? '(optional)'
									: '',
						list: {path, row, rows},
						lines: column.list,
					});
				}
			}

			return out;
		}
	}
}

function asList(value: unknown): unknown[] {
	return Array.isArray(value) ? value : [];
}

/** The stops of the screen the state is on. */
export function stopsOf(state: WizardState): Stop[] {
	if (state.screen === 'start')
		return startStops(
			state,
			state.tasks.map(task => task.label),
		);
	if (state.screen === 'step') return stepStops(state.step, state.draft);
	return [];
}

/** The value a stop shows: lines of a list column joined, numbers as typed. */
export function stopValue(
	stop: Stop,
	state: Pick<WizardState, 'draft' | 'taskMode' | 'tasks'> &
		Partial<Pick<WizardState, 'savedDraft'>>,
): string {
	const {draft} = state;
	if (stop.path[0] === '@draft') return draftChoices[state.savedDraft?.kept === false ? 1 : 0];
	if (stop.path[1] === '@mode') return stop.options?.[state.taskMode === 'new' ? 0 : 1] ?? '';
	if (stop.path[1] === '@pick') {
		const id = getIn(draft, ['task', 'id']);
		return state.tasks.find(task => task.id === id)?.label ?? '';
	}

	const value = getIn(draft, stop.path);
	if (stop.lines) return Array.isArray(value) ? value.map(String).join('\n') : '';
	if (value === undefined || value === null) return '';
	return String(value);
}

/** The draft value a stop's text becomes. */
export function stopInput(stop: Stop, text: string): unknown {
	return stop.lines ? text.split('\n') : text;
}

/** Validates the screen being left; errors keyed by path. */
export function validateScreen(state: WizardState): FieldErrors {
	if (state.screen === 'start') {
		const result = validatePart(answerSchemasNow().start, withTaskMode(state), []);
		return result.ok ? new Map() : result.errors;
	}

	if (state.screen === 'step') {
		const step = steps[state.step];
		if (!step) return new Map();
		const result = validatePart(step.schema, withGroups(state.draft, state.step), [step.id]);
		return result.ok ? new Map() : result.errors;
	}

	if (state.screen === 'review') {
		const result = draftToAnswers(draftForValidation(state));
		return result.ok ? new Map() : result.errors;
	}

	return new Map();
}

/**
 * The draft with every group of a step present, so that errors name fields, not groups, and
 * every list nobody has added to present and empty.
 */
function withGroups(draft: DraftAnswers, stepIndex: number): DraftAnswers {
	const step = steps[stepIndex];
	if (!step) return draft;
	let out = draft;
	for (const field of step.fields) {
		for (let depth = 1; depth < field.path.length; depth++) {
			const path = [step.id, ...field.path.slice(0, depth)];
			if (getIn(out, path) === undefined) out = setIn(out, path, {});
		}

		const path = [step.id, ...field.path];
		if ((field.kind === 'list' || field.kind === 'table') && getIn(out, path) === undefined) {
			out = setIn(out, path, []);
		}
	}

	return out;
}

/** The draft as the schema should see it: task fields of the chosen mode, every group present. */
export function draftForValidation(state: Pick<WizardState, 'draft' | 'taskMode'>): DraftAnswers {
	let draft = withTaskMode(state);
	for (let index = 0; index < steps.length; index++) draft = withGroups(draft, index);
	return draft;
}

/** The draft with only the task fields the chosen mode uses. */
export function withTaskMode(state: Pick<WizardState, 'draft' | 'taskMode'>): DraftAnswers {
	const task = getIn(state.draft, ['task']);
	const fields = task && typeof task === 'object' ? (task as Record<string, unknown>) : {};
	if (state.taskMode === 'existing') return setIn(state.draft, ['task'], {id: fields['id'] ?? ''});
	const title = typeof fields['title'] === 'string' ? fields['title'].trim() : '';
	const next: Record<string, unknown> = {};
	if (title) next['title'] = title;
	if (fields['priority']) next['priority'] = fields['priority'];
	return setIn(state.draft, ['task'], title ? next : undefined);
}

/**
 * Where each error is shown: on the stop it names, or, for an error on a whole list or
 * group, on the first stop inside it. One message per stop.
 */
export function errorsByStop(stops: readonly Stop[], errors: FieldErrors): Map<number, string> {
	const shown = new Map<number, string>();
	for (const [key, message] of errors) {
		const index = stops.findIndex(
			stop => stop.key === key || stop.key.startsWith(`${key}.`) || key.startsWith(`${stop.key}.`),
		);
		if (index >= 0 && !shown.has(index)) shown.set(index, message);
	}

	return shown;
}

function firstErrorStop(stops: readonly Stop[], errors: FieldErrors): number | undefined {
	const indexes = [...errorsByStop(stops, errors).keys()];
	return indexes.length > 0 ? Math.min(...indexes) : undefined;
}

/** The wizard's state machine: every key press becomes one of these actions. */
export function reduce(state: WizardState, action: WizardAction): WizardState {
	const key = focusKey(state);
	const focused = state.focus[key] ?? 0;
	switch (action.type) {
		case 'edit': {
			// The edited value's own error goes, and so does one on a list or group holding it.
			const edited = pathKey(action.path);
			const errors = new Map(state.errors);
			for (const key of errors.keys()) {
				if (edited === key || edited.startsWith(`${key}.`)) errors.delete(key);
			}

			return {...state, draft: setIn(state.draft, action.path, action.value), errors};
		}

		case 'focus': {
			const count = stopsOf(state).length;
			if (count === 0) return state;
			const next = Math.max(0, Math.min(count - 1, focused + action.delta));
			return {...state, focus: {...state.focus, [key]: next}, cursor: undefined};
		}

		case 'focusKey': {
			const index = stopsOf(state).findIndex(stop => stop.key === action.key);
			return index < 0
				? state
				: {...state, focus: {...state.focus, [key]: index}, cursor: undefined};
		}

		case 'nav': {
			const stops = stopsOf(state);
			const stop = stops[focused];
			if (action.key === 'enter') {
				return focused + 1 >= stops.length
					? reduce(state, {type: 'next'})
					: reduce(state, {type: 'focus', delta: 1});
			}

			if (stop?.kind === 'text') return state;
			return reduce(state, {type: 'focus', delta: action.key === 'up' ? -1 : 1});
		}

		case 'tasks':
			return {...state, tasks: action.tasks};

		case 'keys': {
			let next = state;
			for (const typed of action.keys) next = reduceKey(next, typed, action.layout);
			return next;
		}

		case 'taskMode':
			return {...state, taskMode: action.mode, errors: new Map()};

		case 'next': {
			if (state.screen === 'commit' || state.screen === 'summary') return state;
			const errors = validateScreen(state);
			if (errors.size > 0) {
				const at = firstErrorStop(stopsOf(state), errors);
				return {
					...state,
					errors,
					focus: at === undefined ? state.focus : {...state.focus, [key]: at},
				};
			}

			const moved = {...state, errors: new Map(), preview: false, scroll: 0, cursor: undefined};
			if (state.screen === 'start') return {...moved, screen: 'step', step: 0};
			if (state.screen === 'step') {
				return state.step + 1 < steps.length
					? {...moved, step: state.step + 1}
					: {...moved, screen: 'review'};
			}

			return {...moved, screen: 'commit'};
		}

		case 'back': {
			const moved = {...state, errors: new Map(), preview: false, scroll: 0, cursor: undefined};
			if (state.screen === 'step') {
				return state.step === 0 ? {...moved, screen: 'start'} : {...moved, step: state.step - 1};
			}

			if (state.screen === 'review') return {...moved, screen: 'step', step: steps.length - 1};
			return state;
		}

		case 'togglePreview':
			return {...state, preview: !state.preview, scroll: 0};

		case 'toggleRaw':
			return {...state, raw: !state.raw};

		case 'scroll':
			return {...state, scroll: Math.max(0, state.scroll + action.delta)};

		case 'deleteRow':
		case 'moveRow': {
			const stop = stopsOf(state)[focused];
			if (!stop?.list) return state;
			const items = [...asList(getIn(state.draft, stop.list.path))];
			const {row} = stop.list;
			if (row >= items.length) return state;
			let target = row;
			if (action.type === 'deleteRow') items.splice(row, 1);
			else {
				target = row + action.delta;
				if (target < 0 || target >= items.length) return state;
				const [item] = items.splice(row, 1);
				items.splice(target, 0, item);
			}

			const draft = setIn(state.draft, stop.list.path, items);
			const next = {...state, draft, errors: new Map(), cursor: undefined};
			// The focus follows the row: same list, the row's new place, the same column of a table.
			const column = (of: Stop) => {
				const last = of.path[of.path.length - 1];
				return typeof last === 'string' ? last : undefined;
			};
			const listKey = pathKey(stop.list.path);
			const index = stopsOf(next).findIndex(
				candidate =>
					candidate.list?.row === Math.min(target, items.length) &&
					pathKey(candidate.list.path) === listKey &&
					column(candidate) === column(stop),
			);
			return index < 0 ? next : {...next, focus: {...next.focus, [key]: index}};
		}

		case 'goto':
			return {
				...state,
				screen: action.screen,
				step: action.step ?? state.step,
				errors: new Map(),
				preview: false,
				scroll: 0,
				cursor: undefined,
			};
	}
}

/** Chooses an option of a choice stop; the Start screen's task choices change the task. */
function choose(state: WizardState, stop: Stop, option: string): WizardState {
	if (stop.path[0] === '@draft' && state.savedDraft) {
		const kept = option === draftChoices[0];
		if (kept === state.savedDraft.kept) return state;
		// The saved draft stays on disk until the new design is typed into; the session keeps
		// a copy of it before that (see the draft saver), so going back to it loses nothing.
		return kept
			? {
					...state,
					savedDraft: {...state.savedDraft, kept},
					draft: state.setAside ?? state.draft,
					setAside: undefined,
				}
			: {
					...state,
					savedDraft: {...state.savedDraft, kept},
					setAside: state.draft,
					draft: {},
					errors: new Map(),
				};
	}

	if (stop.path[1] === '@mode') {
		return reduce(state, {
			type: 'taskMode',
			mode: option === stop.options?.[1] ? 'existing' : 'new',
		});
	}

	if (stop.path[1] === '@pick') {
		const task = state.tasks.find(item => item.label === option);
		return task ? reduce(state, {type: 'edit', path: ['task', 'id'], value: task.id}) : state;
	}

	return reduce(state, {type: 'edit', path: stop.path, value: option});
}

/**
 * One key on the Start or a step screen. Screen keys (Tab, Ctrl+N…) act first; the rest edit
 * the focused field. Applying keys here, one after another on the newest state, means keys
 * that arrive together (fast typing, a paste, tmux send-keys) all land where they were meant.
 */
function reduceKey(state: WizardState, key: Key, layout: KeyLayout): WizardState {
	if (state.screen !== 'start' && state.screen !== 'step') return state;
	if (key.type === 'ctrl') {
		switch (key.letter) {
			case 'n':
				return reduce(state, {type: 'next'});
			case 'p':
				return reduce(state, {type: 'back'});
			case 'o':
				return state.screen === 'step' ? reduce(state, {type: 'togglePreview'}) : state;
			case 'x':
				return reduce(state, {type: 'deleteRow'});
			case 'r':
				return reduce(state, {type: 'toggleRaw'});
			default:
				return state;
		}
	}

	if (key.type === 'pageDown' || key.type === 'pageUp') {
		return reduce(state, {
			type: 'scroll',
			delta: key.type === 'pageUp' ? -layout.page : layout.page,
		});
	}

	// A preview that replaces the fields takes no typing.
	if (state.preview && !layout.wide) return state;
	if (key.type === 'tab') return reduce(state, {type: 'focus', delta: 1});
	if (key.type === 'backtab') return reduce(state, {type: 'focus', delta: -1});
	if (key.type === 'rowUp' || key.type === 'rowDown') {
		return reduce(state, {type: 'moveRow', delta: key.type === 'rowUp' ? -1 : 1});
	}

	const stops = stopsOf(state);
	const focused = Math.min(state.focus[focusKey(state)] ?? 0, Math.max(0, stops.length - 1));
	const stop = stops[focused];
	if (!stop) return state;
	if (stop.kind === 'choice') {
		const options = stop.options ?? [];
		const current = options.indexOf(stopValue(stop, state));
		if (key.type === 'left' || key.type === 'right') {
			const step = key.type === 'left' ? -1 : 1;
			const from = current < 0 ? (step > 0 ? -1 : 0) : current;
			return choose(state, stop, options[(from + step + options.length) % options.length]!);
		}

		if (key.type === 'text') {
			const letter = key.text.slice(-1).toLowerCase();
			const match = options.find(option => option.toLowerCase().startsWith(letter));
			return match ? choose(state, stop, match) : state;
		}

		if (key.type === 'enter' || key.type === 'up' || key.type === 'down') {
			return reduce(state, {type: 'nav', key: key.type});
		}

		return state;
	}

	const multiline = stop.kind === 'text';
	if (!multiline && (key.type === 'up' || key.type === 'down')) {
		return reduce(state, {type: 'nav', key: key.type});
	}

	const value = stopValue(stop, state);
	const cursor = Math.min(state.cursor ?? value.length, value.length);
	let result = applyKey({value, cursor}, key, {multiline, width: layout.fieldWidth});
	// A field takes no more than its answer may hold: a paste past the limit is cut there and
	// the field says so, rather than holding text that would slow every key and be refused.
	const limit = multiline ? TEXT_LIMIT : LINE_LIMIT;
	let cut = false;
	if (result.state.value.length > limit && result.state.value.length > value.length) {
		const room = Math.max(0, limit - value.length);
		const inserted = result.state.value.length - value.length;
		if ((key.type === 'text' || key.type === 'paste') && inserted > room) {
			const text = key.text.slice(0, room);
			result = applyKey(
				{value, cursor},
				{type: key.type, text},
				{multiline, width: layout.fieldWidth},
			);
			cut = true;
		}
	}

	let next: WizardState = state;
	if (result.state.value !== value) {
		next = reduce(next, {
			type: 'edit',
			path: stop.path,
			value: stopInput(stop, result.state.value),
		});
	}

	if (cut) {
		const errors = new Map(next.errors);
		errors.set(
			stop.key,
			`${stop.groupLabel === stop.label ? stop.label : stop.groupLabel} holds at most ${limit.toLocaleString('en-US')} characters; the rest of the paste was left out`,
		);
		next = {...next, errors};
	}

	next = {...next, cursor: result.state.cursor};
	return result.action === 'submit' ? reduce(next, {type: 'nav', key: 'enter'}) : next;
}
