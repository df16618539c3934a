// The editing model behind every text field: a value, a cursor, and what each key does to
// them. Pure and free of React so that it can be tested key by key.
import {cachedWidth, graphemeSegmenter, graphemes, PRINTABLE_ASCII} from './graphemes.js';
import {sanitizeText, type Key} from './keys.js';

export {createKeyReader, sanitizeText, splitInput} from './keys.js';
export type {Key, KeyName, KeyReader} from './keys.js';

/**
The text being edited. `cursor` is a UTF-16 offset into `value` that always sits on a
grapheme-cluster boundary (never inside an emoji, a flag or a letter with its accents).
*/
export type EditState = {readonly value: string; readonly cursor: number};

/** How a field edits and lays out its value. */
export type EditOptions = {
	/** Enter inserts a line break instead of submitting. */
	readonly multiline: boolean;
	/** Columns a multi-line row holds before it wraps; Up and Down move by these rows. */
	readonly width?: number;
	/** Drawn in place of every character (a password). */
	readonly mask?: string;
};

/** What a key asks of the field's owner beyond editing. */
export type EditAction = 'submit' | 'cancel';

/** The state after a key, and the action it asked for, if any. */
export type EditResult = {readonly state: EditState; readonly action?: EditAction};

/** One grapheme as drawn: its place in the value, what is drawn for it, and its columns. */
export type Cell = {
	readonly start: number;
	readonly end: number;
	readonly text: string;
	readonly width: number;
};

/** One screen row of a laid-out value; `last` marks the last row of a line. */
export type Row = {
	readonly start: number;
	readonly end: number;
	readonly cells: readonly Cell[];
	readonly width: number;
	readonly last: boolean;
};

const WORD = /[\p{L}\p{N}\p{M}_]/u;
const BLANK = /\s/;
/** Spaces a tab becomes in a multi-line value. */
export const TAB_SPACES = '    ';

/** Offset of the grapheme boundary before `offset`. */
export function previousBoundary(value: string, offset: number): number {
	if (offset <= 0) {
		return 0;
	}

	return (
		graphemeSegmenter()
			.segment(value)
			.containing(offset - 1)?.index ?? 0
	);
}

/** Offset of the grapheme boundary after `offset`. */
export function nextBoundary(value: string, offset: number): number {
	if (offset >= value.length) {
		return value.length;
	}

	const segment = graphemeSegmenter().segment(value).containing(offset);

	return segment ? segment.index + segment.segment.length : value.length;
}

/** A state whose cursor is an integer within the value and on a grapheme boundary. */
export function normalizeState(state: EditState): EditState {
	const {value} = state;
	const clamped = Math.min(Math.max(Math.trunc(state.cursor) || 0, 0), value.length);
	const cursor = clamped < value.length ? previousBoundary(value, clamped + 1) : clamped;

	return cursor === state.cursor ? state : {value, cursor};
}

/** Text as it may enter a field: safe characters, line breaks and tabs fitted to the mode. */
export function fitText(text: string, multiline: boolean): string {
	const clean = sanitizeText(text);

	return multiline
		? clean.replace(/[\u2028\u2029]/g, '\n').replaceAll('\t', TAB_SPACES)
		: clean.replace(/[\n\u2028\u2029\t]/g, ' ');
}

function lineStart(value: string, cursor: number): number {
	return cursor === 0 ? 0 : value.lastIndexOf('\n', cursor - 1) + 1;
}

function lineEnd(value: string, cursor: number): number {
	const end = value.indexOf('\n', cursor);

	return end === -1 ? value.length : end;
}

// Start of the word before the cursor: Alt+B stops at letters, digits and underscores.
function wordLeft(value: string, cursor: number): number {
	let at = cursor;
	let seenWord = false;
	while (at > 0) {
		const previous = previousBoundary(value, at);
		const isWord = WORD.test(value.slice(previous, at));
		if (seenWord && !isWord) {
			break;
		}

		seenWord ||= isWord;
		at = previous;
	}

	return at;
}

// End of the word after the cursor, as Alt+F moves.
function wordRight(value: string, cursor: number): number {
	let at = cursor;
	let seenWord = false;
	while (at < value.length) {
		const next = nextBoundary(value, at);
		const isWord = WORD.test(value.slice(at, next));
		if (seenWord && !isWord) {
			break;
		}

		seenWord ||= isWord;
		at = next;
	}

	return at;
}

// Start of what Ctrl+W removes: blanks, then everything up to the previous blank, as a
// shell does. At the start of a line it removes the line break only.
function blankWordStart(value: string, cursor: number): number {
	if (value[cursor - 1] === '\n') {
		return cursor - 1;
	}

	let at = cursor;
	while (at > 0 && value[at - 1] !== '\n' && BLANK.test(value[at - 1] ?? '')) {
		at--;
	}

	while (at > 0 && !BLANK.test(value[at - 1] ?? '')) {
		at = previousBoundary(value, at);
	}

	return at;
}

/** What is drawn for one grapheme: the mask, or the grapheme with controls made visible. */
export function displayText(grapheme: string, mask?: string): string {
	if (mask !== undefined) {
		return mask;
	}

	return grapheme.replace(/[\u0000-\u001F\u007F-\u009F]|[\uD800-\uDFFF]/gu, char => {
		const code = char.charCodeAt(0);
		if (char === '\t') {
			return ' ';
		}

		if (code < 0x20) {
			return String.fromCharCode(0x24_00 + code);
		}

		return code === 0x7f ? '\u2421' : '\uFFFD';
	});
}

/**
 * A row of characters `from` to `to` of a printable ASCII line starting at `lineStart`, one
 * column each, whose cells are made the first time they are read: a long field is laid out
 * on every keystroke, but only the rows on screen and the cursor's are ever looked into.
 */
function asciiRow(
	line: string,
	lineStart: number,
	from: number,
	to: number,
	last: boolean,
	mask: string | undefined,
): Row {
	let cells: Cell[] | undefined;
	return {
		start: lineStart + from,
		end: lineStart + to,
		width: to - from,
		last,
		get cells(): Cell[] {
			if (cells) return cells;
			cells = [];
			for (let at = from; at < to; at++) {
				const start = lineStart + at;
				cells.push({start, end: start + 1, text: mask ?? line[at]!, width: 1});
			}

			return cells;
		},
	};
}

/**
Lays a value out in rows. A one-line value is one row; a multi-line value has a row per
line, and with a width each line wraps at grapheme boundaries. A line that fills its last
row exactly gets an empty row after it, where the cursor at its end is drawn.
*/
export function layoutRows(value: string, options: EditOptions): Row[] {
	const limit =
		options.multiline && options.width !== undefined && options.width > 0
			? options.width
			: Number.POSITIVE_INFINITY;
	const rows: Row[] = [];
	let cells: Cell[] = [];
	let start = 0;
	let width = 0;

	const close = (end: number, last: boolean) => {
		const full = last && width >= limit;
		rows.push({start, end, cells, width, last: last && !full});
		if (full) {
			rows.push({start: end, end, cells: [], width: 0, last: true});
		}

		cells = [];
		width = 0;
	};

	const place = (index: number, length: number, text: string, cellWidth: number) => {
		if (width + cellWidth > limit && cells.length > 0) {
			close(index, false);
			start = index;
		}

		cells.push({start: index, end: index + length, text, width: cellWidth});
		width += cellWidth;
	};

	// Laid out on every frame of a focused field, so common text takes a short cut: between
	// two printable ASCII characters there is always a grapheme boundary, and a line break
	// (without CR) is one on both sides. A line of printable ASCII is therefore one cell per
	// character, one column each; any other line is segmented.
	const maskWidth = options.mask === undefined ? 1 : cachedWidth(options.mask);
	const lines = options.multiline && !value.includes('\r') ? value.split('\n') : [value];
	let offset = 0;
	// Whether the line before has had its rows made already.
	let lineDone = false;
	for (const [lineIndex, line] of lines.entries()) {
		if (lineIndex > 0) {
			if (!lineDone) close(offset - 1, true);
			start = offset;
		}

		lineDone = false;

		if (PRINTABLE_ASCII.test(line) && maskWidth === 1 && line.length > 0) {
			// Rows of `limit` characters; a line that fills its last row gets an empty one.
			const size = Math.min(limit, line.length);
			for (let from = 0; from < line.length; from += size) {
				const to = Math.min(from + size, line.length);
				const full = to - from >= limit;
				rows.push(asciiRow(line, offset, from, to, to === line.length && !full, options.mask));
				if (to === line.length && full) {
					rows.push({start: offset + to, end: offset + to, cells: [], width: 0, last: true});
				}
			}

			lineDone = true;
		} else {
			for (const {segment, index} of graphemes(line)) {
				if (options.multiline && segment === '\n') {
					close(offset + index, true);
					start = offset + index + 1;
					continue;
				}

				if (segment.length === 1 && options.mask === undefined && PRINTABLE_ASCII.test(segment)) {
					place(offset + index, 1, segment, 1);
					continue;
				}

				const text = displayText(segment, options.mask);
				place(offset + index, segment.length, text, cachedWidth(text));
			}
		}

		offset += line.length + 1;
	}

	if (!lineDone) close(value.length, true);

	return rows;
}

/** The row the cursor is drawn on and its column within that row. */
export function cursorPosition(
	rows: readonly Row[],
	cursor: number,
): {readonly row: number; readonly column: number} {
	for (const [index, row] of rows.entries()) {
		if (cursor >= row.start && (cursor < row.end || (cursor === row.end && row.last))) {
			let column = 0;
			for (const cell of row.cells) {
				if (cell.end > cursor) {
					break;
				}

				column += cell.width;
			}

			return {row: index, column};
		}
	}

	return {row: rows.length - 1, column: rows.at(-1)?.width ?? 0};
}

// Offset in `row` closest to `column` without passing it.
function offsetAtColumn(row: Row, column: number): number {
	let at = row.start;
	let used = 0;
	for (const cell of row.cells) {
		if (used + cell.width > column) {
			break;
		}

		used += cell.width;
		at = cell.end;
	}

	// The end of a wrapped row is the start of the next one: stay on this row.
	const lastCell = row.cells.at(-1);

	return !row.last && lastCell && at === row.end ? lastCell.start : at;
}

function moveVertically(state: EditState, delta: number, options: EditOptions): number {
	const rows = layoutRows(state.value, options);
	const {row, column} = cursorPosition(rows, state.cursor);
	const target = rows[row + delta];
	if (!target) {
		return delta < 0 ? 0 : state.value.length;
	}

	return offsetAtColumn(target, column);
}

function insert(state: EditState, text: string, multiline: boolean): EditState {
	const clean = fitText(text, multiline);
	if (clean === '') {
		return state;
	}

	const {value, cursor} = state;
	const next = value.slice(0, cursor) + clean + value.slice(cursor);
	const after = cursor + clean.length;
	// The inserted text may join the grapheme after it (a second regional indicator, a
	// combining mark): keep the cursor after the joined cluster.
	const isBoundary = after >= next.length || previousBoundary(next, after + 1) === after;

	return {value: next, cursor: isBoundary ? after : nextBoundary(next, after)};
}

/**
Applies one key to a state. Enter submits a one-line field and breaks the line in a
multi-line one; Ctrl+D and Alt+Enter submit either; Escape cancels.
*/
export function applyKey(state: EditState, key: Key, options: EditOptions): EditResult {
	const current = normalizeState(state);
	const {value, cursor} = current;
	const {multiline} = options;
	const moveTo = (target: number): EditResult =>
		target === cursor ? {state: current} : {state: {value, cursor: target}};
	const remove = (from: number, to: number): EditResult => {
		if (from === to) {
			return {state: current};
		}

		return {state: {value: value.slice(0, from) + value.slice(to), cursor: from}};
	};

	switch (key.type) {
		case 'text':
		case 'paste': {
			return {state: insert(current, key.text, multiline)};
		}

		// Tab moves between fields and the rest belong to the screen: a field ignores them.
		case 'tab':
		case 'backtab':
		case 'pageUp':
		case 'pageDown':
		case 'rowUp':
		case 'rowDown':
		case 'ctrl': {
			return {state: current};
		}

		case 'enter': {
			return multiline ? {state: insert(current, '\n', true)} : {state: current, action: 'submit'};
		}

		case 'submit': {
			return {state: current, action: 'submit'};
		}

		case 'escape': {
			return {state: current, action: 'cancel'};
		}

		case 'backspace': {
			return remove(previousBoundary(value, cursor), cursor);
		}

		case 'delete': {
			return remove(cursor, nextBoundary(value, cursor));
		}

		case 'left': {
			return moveTo(previousBoundary(value, cursor));
		}

		case 'right': {
			return moveTo(nextBoundary(value, cursor));
		}

		case 'up':
		case 'down': {
			if (!multiline) {
				return {state: current};
			}

			return moveTo(moveVertically(current, key.type === 'up' ? -1 : 1, options));
		}

		case 'home': {
			return moveTo(multiline ? lineStart(value, cursor) : 0);
		}

		case 'end': {
			return moveTo(multiline ? lineEnd(value, cursor) : value.length);
		}

		case 'docStart': {
			return moveTo(0);
		}

		case 'docEnd': {
			return moveTo(value.length);
		}

		case 'wordLeft': {
			return moveTo(wordLeft(value, cursor));
		}

		case 'wordRight': {
			return moveTo(wordRight(value, cursor));
		}

		case 'deleteWordBefore': {
			return remove(blankWordStart(value, cursor), cursor);
		}

		case 'deleteWordAfter': {
			return remove(cursor, wordRight(value, cursor));
		}

		case 'deleteToLineStart': {
			return remove(multiline ? lineStart(value, cursor) : 0, cursor);
		}

		case 'deleteToLineEnd': {
			if (!multiline) {
				return remove(cursor, value.length);
			}

			const end = lineEnd(value, cursor);

			// At the end of a line Ctrl+K joins the next line to it.
			return remove(cursor, end === cursor && end < value.length ? end + 1 : end);
		}
	}
}

/** Applies keys in order and collects the actions they asked for. */
export function applyKeys(
	state: EditState,
	keys: readonly Key[],
	options: EditOptions,
): {readonly state: EditState; readonly actions: readonly EditAction[]} {
	let current = state;
	const actions: EditAction[] = [];
	for (const key of keys) {
		const result = applyKey(current, key, options);
		current = result.state;
		if (result.action) {
			actions.push(result.action);
		}
	}

	return {state: current, actions};
}
