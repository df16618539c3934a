import {useCallback, useLayoutEffect, useMemo, useReducer, useRef} from 'react';
import {Box, Text} from 'ink';
import {
	applyKey,
	cursorPosition,
	layoutRows,
	type Cell,
	type EditOptions,
	type EditState,
	type Key,
	type Row,
} from '../src/editing.js';
import {useKeyInput} from './use-key-input.js';

/** Props of `TextField`. */
export type TextFieldProps = {
	/** The text shown; the field follows it whenever it changes from outside. */
	readonly value: string;
	/** Called with the new text once the keys of each piece of input have been applied. */
	readonly onChange: (value: string) => void;
	/** Called on Enter (one-line), Ctrl+D or Alt+Enter. */
	readonly onSubmit?: (value: string) => void;
	/** Called on Escape. */
	readonly onCancel?: (value: string) => void;
	/** Whether keys go to this field; the cursor is drawn only then. */
	readonly focus: boolean;
	/** Enter breaks the line; long lines wrap at `width`. @default false */
	readonly multiline?: boolean;
	/** Shown dimmed while the value is empty. */
	readonly placeholder?: string;
	/** Columns the field uses: a one-line value scrolls sideways, a multi-line one wraps. */
	readonly width?: number;
	/** Rows a multi-line field shows; it scrolls to keep the cursor in view. */
	readonly height?: number;
	/** Drawn in place of each character (a password). */
	readonly mask?: string;
};

/** Options of `useTextField`: the editing half of `TextFieldProps`. */
export type TextFieldOptions = Pick<
	TextFieldProps,
	'value' | 'onChange' | 'onSubmit' | 'onCancel' | 'focus' | 'multiline' | 'width' | 'mask'
>;

// Values sent to the owner and not yet seen back; bounded for an owner that never answers.
const PENDING_LIMIT = 64;

/**
Edits a value with the keyboard and returns the current value and cursor. The value and
cursor live in a ref: every key of a chunk, and of chunks that arrive before the owner
renders again, applies to the result of the key before it, never to a stale prop.
*/
export function useTextField(options: TextFieldOptions): EditState {
	const {value, focus} = options;
	const stateRef = useRef<EditState>({value, cursor: value.length});
	const seenValueRef = useRef(value);
	const pendingRef = useRef<string[]>([]);
	const optionsRef = useRef(options);
	const [, rerender] = useReducer((count: number) => count + 1, 0);

	useLayoutEffect(() => {
		optionsRef.current = options;
	});

	// Follow the owner. A value we sent that is only now coming back is not a change;
	// anything else (a reset, a loaded draft, a rejected edit) replaces the text.
	if (value !== seenValueRef.current) {
		seenValueRef.current = value;
		const pending = pendingRef.current;
		const index = pending.indexOf(value);
		if (value === stateRef.current.value) {
			pendingRef.current = [];
		} else if (index === -1) {
			stateRef.current = {value, cursor: value.length};
			pendingRef.current = [];
		} else {
			pendingRef.current = pending.slice(index + 1);
		}
	}

	const handleKeys = useCallback((keys: readonly Key[]) => {
		const {onChange, onSubmit, onCancel, multiline = false, width, mask} = optionsRef.current;
		const editOptions: EditOptions = {multiline, width, mask};
		let reported = stateRef.current.value;

		const report = () => {
			const current = stateRef.current.value;
			if (current === reported) {
				return;
			}

			reported = current;
			pendingRef.current.push(current);
			if (pendingRef.current.length > PENDING_LIMIT) {
				pendingRef.current.shift();
			}

			onChange(current);
		};

		for (const key of keys) {
			const result = applyKey(stateRef.current, key, editOptions);
			stateRef.current = result.state;
			if (result.action) {
				report();
				(result.action === 'submit' ? onSubmit : onCancel)?.(result.state.value);
			}
		}

		report();
		rerender();
	}, []);

	useKeyInput(handleKeys, {isActive: focus});

	return stateRef.current;
}

// First column to show so that columns [start, end) are inside a viewport of `size`,
// moving the previous offset as little as possible.
function follow(offset: number, start: number, end: number, size: number, total: number) {
	const clamped = Math.max(0, Math.min(offset, total - size));
	if (start < clamped) {
		return start;
	}

	return end > clamped + size ? end - size : clamped;
}

type RowText = {readonly before: string; readonly cursor: string; readonly after: string};

// The visible text of a row between columns `from` and `to`, split around the cursor. A
// wide character cut by an edge is drawn as spaces.
function rowText(
	row: Row,
	cursor: number | undefined,
	from = 0,
	to = Number.POSITIVE_INFINITY,
): RowText {
	let before = '';
	let atCursor = '';
	let after = '';
	let column = 0;
	const cellText = (cell: Cell, start: number) => {
		const end = start + cell.width;
		if (start >= from && end <= to) {
			return cell.text;
		}

		return ' '.repeat(Math.max(0, Math.min(end, to) - Math.max(start, from)));
	};

	for (const cell of row.cells) {
		const start = column;
		column += cell.width;
		if (column <= from && cell.width > 0) {
			continue;
		}

		if (start >= to) {
			break;
		}

		const text = cellText(cell, start);
		if (cell.start === cursor) {
			atCursor = text;
		} else if (cursor !== undefined && cell.start < cursor) {
			before += text;
		} else {
			after += text;
		}
	}

	if (cursor !== undefined && atCursor === '') {
		atCursor = ' ';
	}

	return {before, cursor: atCursor, after};
}

function Line({text, focus}: {readonly text: RowText; readonly focus: boolean}) {
	// An empty Text takes no row at all; a space keeps the blank line in its place.
	if (!focus && text.before === '' && text.after === '') {
		return <Text> </Text>;
	}

	return (
		<Text>
			{text.before}
			{focus ? <Text inverse>{text.cursor}</Text> : null}
			{text.after}
		</Text>
	);
}

function Placeholder(props: {
	readonly placeholder: string;
	readonly focus: boolean;
	readonly width?: number;
}) {
	const [row] = layoutRows(props.placeholder, {multiline: false});
	const text = row ? rowText(row, 0, 0, props.width) : {before: '', cursor: ' ', after: ''};

	return props.focus ? (
		<Text>
			<Text inverse>{text.cursor}</Text>
			<Text dimColor>{text.after}</Text>
		</Text>
	) : (
		<Text dimColor>{text.cursor + text.after}</Text>
	);
}

/** Props of `FieldView`: a text and its cursor, drawn; no keys are read. */
export type FieldViewProps = Pick<
	TextFieldProps,
	'value' | 'focus' | 'multiline' | 'placeholder' | 'width' | 'height' | 'mask'
> & {
	/** UTF-16 offset of the cursor, on a grapheme boundary; drawn only with focus. */
	readonly cursor: number;
};

/**
A one-line or multi-line text field. Keys are read raw, so every key of a chunk applies;
editing is by grapheme, and no control character or escape sequence is ever inserted.
*/
export function TextField(props: TextFieldProps) {
	const {value, cursor} = useTextField(props);
	return <FieldView {...props} value={value} cursor={cursor} />;
}

/**
Draws a text with its cursor: a one-line value scrolls sideways to keep the cursor in view,
a multi-line one wraps at `width` and scrolls down. The owner applies the keys.
*/
export function FieldView(props: FieldViewProps) {
	const {focus, multiline = false, placeholder, width, height, mask, value, cursor} = props;
	const offsetRef = useRef(0);
	const topRef = useRef(0);
	// Frames that do not change the value (the preview catching up, a cursor move) reuse it.
	const rows = useMemo(
		() => layoutRows(value, {multiline, width, mask}),
		[value, multiline, width, mask],
	);

	if (value === '' && placeholder) {
		return <Placeholder placeholder={placeholder} focus={focus} width={width} />;
	}

	const position = cursorPosition(rows, cursor);

	if (!multiline) {
		const [row] = rows;
		if (!row) {
			return null;
		}

		const cursorCell = row.cells.find(cell => cell.start === cursor);
		const cursorWidth = focus ? Math.max(1, cursorCell?.width ?? 1) : 0;
		const size = width !== undefined && width > 0 ? width : Number.POSITIVE_INFINITY;
		const total = Math.max(row.width, position.column + cursorWidth);
		const {column} = position;
		const offset = Number.isFinite(size)
			? follow(offsetRef.current, column, column + cursorWidth, size, total)
			: 0;
		offsetRef.current = offset;
		const text = rowText(row, focus ? cursor : undefined, offset, offset + size);

		return <Line text={text} focus={focus} />;
	}

	const size = height !== undefined && height > 0 ? height : rows.length;
	const top = follow(topRef.current, position.row, position.row + 1, size, rows.length);
	topRef.current = top;

	return (
		<Box flexDirection="column" height={height} width={width}>
			{rows.slice(top, top + size).map((row, index) => {
				const isCursorRow = focus && top + index === position.row;

				return (
					<Line
						// Rows have no identity of their own: their place on screen is the key.
						key={top + index}
						text={rowText(row, isCursorRow ? cursor : undefined)}
						focus={isCursorRow}
					/>
				);
			})}
		</Box>
	);
}
