import {describe, expect, test} from 'vitest';
import {
	applyKey,
	applyKeys,
	createKeyReader,
	cursorPosition,
	displayText,
	layoutRows,
	normalizeState,
	sanitizeText,
	splitInput,
	type EditOptions,
	type EditState,
} from '../../src/editing.js';

const ESC = '\u001B';
const LEFT = `${ESC}[D`;
const RIGHT = `${ESC}[C`;
const UP = `${ESC}[A`;
const DOWN = `${ESC}[B`;
const DELETE = `${ESC}[3~`;
const BACKSPACE = '\u007F';
const CTRL_H = '\u0008';
const CTRL_A = '\u0001';
const CTRL_D = '\u0004';
const CTRL_E = '\u0005';
const CTRL_K = '\u000B';
const CTRL_U = '\u0015';
const CTRL_W = '\u0017';
const CTRL_LEFT = `${ESC}[1;5D`;
const CTRL_RIGHT = `${ESC}[1;5C`;
const ALT_B = `${ESC}b`;
const ALT_F = `${ESC}f`;
const ALT_D = `${ESC}d`;
const ALT_BACKSPACE = `${ESC}\u007F`;
const ALT_ENTER = `${ESC}\r`;
const HOME_KEYS = [`${ESC}[H`, `${ESC}[1~`, `${ESC}OH`, `${ESC}[7~`, CTRL_A];
const END_KEYS = [`${ESC}[F`, `${ESC}[4~`, `${ESC}OF`, `${ESC}[8~`, CTRL_E];
const PASTE_START = `${ESC}[200~`;
const PASTE_END = `${ESC}[201~`;
const SGR_RED = `${ESC}[31m`;
const BEL = '\u0007';
const OSC_TITLE = `${ESC}]0;title${BEL}`;

const FAMILY = '👨‍👩‍👧';
const FLAG = '🇫🇷';
const E_ACUTE = 'e\u0301';
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const oneLine: EditOptions = {multiline: false};
const multiLine: EditOptions = {multiline: true};

function type(input: string, options: EditOptions = oneLine, start: EditState = at('')) {
	return applyKeys(start, splitInput(input), options);
}

function at(value: string, cursor = value.length): EditState {
	return {value, cursor};
}

describe('splitInput', () => {
	test('keeps printable runs and keys in order', () => {
		expect(splitInput(`ab${LEFT}c`)).toEqual([
			{type: 'text', text: 'ab'},
			{type: 'left'},
			{type: 'text', text: 'c'},
		]);
	});

	test.each(HOME_KEYS)('%j is Home', sequence => {
		expect(splitInput(sequence)).toEqual([{type: 'home'}]);
	});

	test.each(END_KEYS)('%j is End', sequence => {
		expect(splitInput(sequence)).toEqual([{type: 'end'}]);
	});

	test.each([
		[LEFT, 'left'],
		[RIGHT, 'right'],
		[UP, 'up'],
		[DOWN, 'down'],
		[`${ESC}OD`, 'left'],
		[`${ESC}OC`, 'right'],
		[DELETE, 'delete'],
		[BACKSPACE, 'backspace'],
		[CTRL_H, 'backspace'],
		[CTRL_W, 'deleteWordBefore'],
		[CTRL_U, 'deleteToLineStart'],
		[CTRL_K, 'deleteToLineEnd'],
		[CTRL_D, 'submit'],
		[ALT_ENTER, 'submit'],
		[ALT_B, 'wordLeft'],
		[ALT_F, 'wordRight'],
		[ALT_D, 'deleteWordAfter'],
		[ALT_BACKSPACE, 'deleteWordBefore'],
		[CTRL_LEFT, 'wordLeft'],
		[CTRL_RIGHT, 'wordRight'],
		[`${ESC}[1;3D`, 'wordLeft'],
		[`${ESC}${ESC}[C`, 'wordRight'],
		[`${ESC}[1;5H`, 'docStart'],
		[`${ESC}[1;5F`, 'docEnd'],
		['\r', 'enter'],
		['\n', 'enter'],
		['\r\n', 'enter'],
		['\t', 'tab'],
		[ESC, 'escape'],
	])('%j is %s', (sequence, name) => {
		expect(splitInput(sequence)).toEqual([{type: name}]);
	});

	test('drops escape sequences and controls it does not know', () => {
		const input = [
			SGR_RED,
			BEL,
			OSC_TITLE,
			`${ESC}]0;title${ESC}\\`,
			`${ESC}P1$r${ESC}\\`,
			`${ESC}(B`,
			`${ESC}c`,
			`${ESC}[?25l`,
			`${ESC}[<0;3;4M`,
			`${ESC}[Z`,
			`${ESC}[15~`,
			'\u009B31m',
			'\u009D0;x\u009C',
			'\u0000\u0003\u000C\u001A\u0085',
		].join('');
		const isText = (key: {type: string}) => key.type === 'text' || key.type === 'paste';
		expect(splitInput(input).filter(isText)).toEqual([]);
		const typed = splitInput(`a${input}b`).filter(isText);
		expect(typed.map(key => ('text' in key ? key.text : '')).join('')).toBe('ab');
	});

	test('reads the keys a screen acts on: Shift+Tab, pages, Alt+arrows, Ctrl+letters', () => {
		expect(splitInput(`${ESC}[Z${ESC}[5~${ESC}[6~${ESC}[1;3A${ESC}[1;3B`)).toEqual([
			{type: 'backtab'},
			{type: 'pageUp'},
			{type: 'pageDown'},
			{type: 'rowUp'},
			{type: 'rowDown'},
		]);
		expect(splitInput('\u0003\u000E\u0010\u000F\u0018')).toEqual(
			['c', 'n', 'p', 'o', 'x'].map(letter => ({type: 'ctrl', letter})),
		);
	});

	test('reads a bracketed paste as one paste with LF line breaks', () => {
		expect(splitInput(`${PASTE_START}one\r\ntwo\rthree\nfour${PASTE_END}`)).toEqual([
			{type: 'paste', text: 'one\ntwo\nthree\nfour'},
		]);
	});

	test('drops escape sequences and controls inside a bracketed paste', () => {
		const input = `${PASTE_START}a${SGR_RED}b${BEL}c${OSC_TITLE}\td${PASTE_END}`;
		expect(splitInput(input)).toEqual([{type: 'paste', text: 'abc\td'}]);
	});

	test('reads line breaks followed by text in one chunk as a paste', () => {
		expect(splitInput('one\r\ntwo\nthree')).toEqual([{type: 'paste', text: 'one\ntwo\nthree'}]);
	});

	test('reads text then a final line break as typing then Enter', () => {
		expect(splitInput('abc\r')).toEqual([{type: 'text', text: 'abc'}, {type: 'enter'}]);
	});

	test('never returns half of a surrogate pair', () => {
		expect(splitInput('a\uD83Db\uDE00c😀')).toEqual([{type: 'text', text: 'abc😀'}]);
	});
});

describe('createKeyReader', () => {
	test('keeps a bracketed paste open across pieces', () => {
		const reader = createKeyReader();
		expect(reader.push(PASTE_START)).toEqual([]);
		expect(reader.push('one\r')).toEqual([{type: 'paste', text: 'one\n'}]);
		expect(reader.push('\ntwo\r')).toEqual([{type: 'paste', text: 'two\n'}]);
		expect(reader.push(PASTE_END)).toEqual([]);
		expect(reader.push('\r')).toEqual([{type: 'enter'}]);
	});

	test('drops a control string split the way Ink splits it', () => {
		const reader = createKeyReader();
		expect(reader.push(`${ESC}]`)).toEqual([]);
		expect(reader.isInSequence()).toBe(true);
		expect(reader.push(`0;title${BEL}x`)).toEqual([{type: 'text', text: 'x'}]);
		expect(reader.isInSequence()).toBe(false);
	});

	test('forgets an unterminated control string when the chunk ends', () => {
		const reader = createKeyReader();
		expect(reader.push(`${ESC}]0;ti`)).toEqual([]);
		reader.endChunk();
		expect(reader.push('x')).toEqual([{type: 'text', text: 'x'}]);
	});

	test('ends a paste that never closes on a lone Escape', () => {
		const reader = createKeyReader();
		reader.push(`${PASTE_START}a`);
		expect(reader.push(ESC)).toEqual([]);
		expect(reader.push('\r')).toEqual([{type: 'enter'}]);
	});
});

describe('applyKey', () => {
	test('ab, Left, c in one chunk gives acb', () => {
		expect(type(`ab${LEFT}c`).state).toEqual(at('acb', 2));
	});

	test('Backspace after an emoji removes both halves', () => {
		const {state} = type(`a😀${BACKSPACE}`);
		expect(state).toEqual(at('a'));
		expect(state.value).not.toMatch(LONE_SURROGATE);
	});

	test.each([FAMILY, FLAG, E_ACUTE])('Backspace and Delete remove %s whole', cluster => {
		expect(type(BACKSPACE, oneLine, at(`x${cluster}y`, 1 + cluster.length)).state).toEqual(
			at('xy', 1),
		);
		expect(type(DELETE, oneLine, at(`x${cluster}y`, 1)).state).toEqual(at('xy', 1));
	});

	test.each([FAMILY, FLAG, E_ACUTE])('Left and Right step over %s whole', cluster => {
		const value = `x${cluster}y`;
		expect(type(LEFT, oneLine, at(value, value.length - 1)).state.cursor).toBe(1);
		expect(type(RIGHT, oneLine, at(value, 1)).state.cursor).toBe(1 + cluster.length);
	});

	test('a cursor inside a cluster moves to its start', () => {
		expect(normalizeState(at(FAMILY, 3))).toEqual(at(FAMILY, 0));
		expect(normalizeState(at('ab', 9))).toEqual(at('ab', 2));
	});

	test('Ctrl+A then x inserts at the start', () => {
		expect(type(`abc${CTRL_A}x`).state).toEqual(at('xabc', 1));
	});

	test.each(HOME_KEYS)('Home %j then x inserts at the start', home => {
		expect(type(`${home}x`, oneLine, at('abc')).state).toEqual(at('xabc', 1));
	});

	test.each(END_KEYS)('End %j then x appends', end => {
		expect(type(`${end}x`, oneLine, at('abc', 0)).state).toEqual(at('abcx'));
	});

	test('Ctrl+W deletes the previous word and the blanks after it', () => {
		expect(type(CTRL_W, oneLine, at('hello big world')).state).toEqual(at('hello big '));
		expect(type(CTRL_W, oneLine, at('hello big  ')).state).toEqual(at('hello '));
		expect(type(CTRL_W, oneLine, at('hello world', 5)).state).toEqual(at(' world', 0));
	});

	test('Ctrl+U clears to the start of the line', () => {
		expect(type(CTRL_U, oneLine, at('hello world', 6)).state).toEqual(at('world', 0));
		expect(type(CTRL_U, multiLine, at('one\ntwo three', 8)).state).toEqual(at('one\nthree', 4));
	});

	test('Ctrl+K clears to the end of the line and joins lines at the end of one', () => {
		expect(type(CTRL_K, oneLine, at('hello world', 5)).state).toEqual(at('hello', 5));
		expect(type(CTRL_K, multiLine, at('one\ntwo', 1)).state).toEqual(at('o\ntwo', 1));
		expect(type(CTRL_K, multiLine, at('one\ntwo', 3)).state).toEqual(at('onetwo', 3));
	});

	test('word moves stop at word edges', () => {
		const value = 'alpha, beta-gamma';
		expect(type(ALT_B, oneLine, at(value)).state.cursor).toBe(12);
		expect(type(`${ALT_B}${ALT_B}`, oneLine, at(value)).state.cursor).toBe(7);
		expect(type(CTRL_LEFT, oneLine, at(value, 7)).state.cursor).toBe(0);
		expect(type(ALT_F, oneLine, at(value, 0)).state.cursor).toBe(5);
		expect(type(CTRL_RIGHT, oneLine, at(value, 5)).state.cursor).toBe(11);
		expect(type(ALT_D, oneLine, at(value, 5)).state).toEqual(at('alpha-gamma', 5));
	});

	test('a pasted block in a one-line field becomes one line and does not submit', () => {
		expect(type('one\r\ntwo\nthree')).toEqual({state: at('one two three'), actions: []});
		expect(type(`${PASTE_START}one\r\ntwo\nthree${PASTE_END}`)).toEqual({
			state: at('one two three'),
			actions: [],
		});
	});

	test('a lone CR submits a one-line field', () => {
		expect(type('\r', oneLine, at('abc'))).toEqual({state: at('abc'), actions: ['submit']});
	});

	test('the same paste in a multi-line field keeps three lines', () => {
		expect(type('one\r\ntwo\nthree', multiLine).state).toEqual(at('one\ntwo\nthree'));
		expect(type(`${PASTE_START}one\r\ntwo\nthree${PASTE_END}`, multiLine).state.value).toBe(
			'one\ntwo\nthree',
		);
	});

	test('Enter breaks the line in a multi-line field; Ctrl+D and Alt+Enter submit', () => {
		expect(type('a\rb\r\nc', multiLine).state.value).toBe('a\nb\nc');
		expect(type(`ab\r${CTRL_D}`, multiLine)).toEqual({state: at('ab\n'), actions: ['submit']});
		expect(type(ALT_ENTER, multiLine, at('ab')).actions).toEqual(['submit']);
	});

	test('Escape asks to cancel', () => {
		expect(type(ESC, oneLine, at('ab')).actions).toEqual(['cancel']);
	});

	test('a typed tab moves between fields, a pasted one is a space (four in multi-line)', () => {
		expect(type('a\tb').state.value).toBe('ab');
		expect(type(`${PASTE_START}a\tb${PASTE_END}`).state.value).toBe('a b');
		expect(type(`${PASTE_START}a\tb${PASTE_END}`, multiLine).state.value).toBe('a    b');
	});

	test.each([
		['SGR', SGR_RED],
		['BEL', BEL],
		['OSC title', OSC_TITLE],
	])('%s typed or pasted is never inserted', (_name, sequence) => {
		expect(type(`a${sequence}b`).state.value).toBe('ab');
		expect(type(`${PASTE_START}a${sequence}b${PASTE_END}`).state.value).toBe('ab');
		expect(type(`a${sequence}\nb`, multiLine).state.value).toBe('a\nb');
	});

	test('text handed to applyKey directly is cleaned too', () => {
		const text = `a${SGR_RED}\u0007b\u0085c\u009B31m`;
		const {state} = applyKey(at(''), {type: 'text', text}, oneLine);
		expect(state.value).toBe('abc');
	});

	test('Up and Down move between lines by column, clamped to the shorter line', () => {
		const value = 'abcdef\nxy\nlonger line';
		expect(type(UP, multiLine, at(value, 14)).state.cursor).toBe(9);
		expect(type(DOWN, multiLine, at(value, 4)).state.cursor).toBe(9);
		expect(type(UP, multiLine, at(value, 3)).state.cursor).toBe(0);
		expect(type(DOWN, multiLine, at(value, 12)).state.cursor).toBe(value.length);
		expect(type(UP, oneLine, at('abc', 1)).state.cursor).toBe(1);
	});

	test('Up and Down follow wrapped rows when a width is given', () => {
		const options: EditOptions = {multiline: true, width: 4};
		expect(type(DOWN, options, at('abcdefgh', 1)).state.cursor).toBe(5);
		expect(type(UP, options, at('abcdefgh', 6)).state.cursor).toBe(2);
	});

	test('Up and Down count columns, not characters', () => {
		expect(type(DOWN, multiLine, at('日本\nabcd', 1)).state.cursor).toBe(5);
	});
});

describe('layoutRows', () => {
	test('measures wide, joined and combining clusters in columns', () => {
		const [row] = layoutRows(`日本${FAMILY}${FLAG}${E_ACUTE}`, oneLine);
		expect(row?.cells.map(cell => cell.width)).toEqual([2, 2, 2, 2, 1]);
		expect(cursorPosition(layoutRows('日本', oneLine), 2)).toEqual({row: 0, column: 4});
	});

	test('wraps at the width and gives a full last row an empty row for the cursor', () => {
		const rows = layoutRows('日本語ab\nxyzw', {multiline: true, width: 4});
		expect(rows.map(row => row.cells.map(cell => cell.text).join(''))).toEqual([
			'日本',
			'語ab',
			'',
			'xyzw',
			'',
		]);
		expect(cursorPosition(rows, 5)).toEqual({row: 2, column: 0});
		expect(cursorPosition(rows, 2)).toEqual({row: 1, column: 0});
	});

	test('draws control characters as visible symbols and masks every cluster', () => {
		expect(displayText('\u001B')).toBe('\u241B');
		expect(displayText('\u007F')).toBe('\u2421');
		expect(displayText(FAMILY, '*')).toBe('*');
	});
});

describe('sanitizeText', () => {
	test('removes sequences, normalizes line breaks and keeps unicode', () => {
		expect(sanitizeText(`a${SGR_RED}b${BEL}c${OSC_TITLE}d\r\ne\rf ${FAMILY}`)).toBe(
			`abcd\ne\nf ${FAMILY}`,
		);
	});
});
