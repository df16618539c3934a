import {useEffect, useState} from 'react';
import {afterEach, describe, expect, test} from 'vitest';
import {cleanup, render} from 'ink-testing-library';
import chalk from 'chalk';
import stringWidth from 'string-width';
import {TextField, type TextFieldProps} from '../../components/TextField.js';

// Frames carry the inverse cursor whether or not the tests run on a terminal.
chalk.level = 1;

const ESC = '\u001B';
const LEFT = `${ESC}[D`;
const RIGHT = `${ESC}[C`;
const UP = `${ESC}[A`;
const DELETE = `${ESC}[3~`;
const BACKSPACE = '\u007F';
const ENTER = '\r';
const CTRL_A = '\u0001';
const CTRL_D = '\u0004';
const CTRL_E = '\u0005';
const CTRL_U = '\u0015';
const CTRL_W = '\u0017';
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
const INVERSE = /\u001B\[(?:7|27)m/g;

const delay = async (ms: number) =>
	new Promise<void>(resolve => {
		setTimeout(resolve, ms);
	});

const cursor = (text: string) => chalk.inverse(text);

// What the terminal would show, without the cursor's inverse on and off codes.
const plain = (frame: string | undefined) => (frame ?? '').replace(INVERSE, '');

type Recorder = {changes: string[]; submits: string[]; set?: (value: string) => void};

type FieldProps = Partial<Omit<TextFieldProps, 'value' | 'onChange'>> & {
	readonly initial?: string;
	readonly record?: Recorder;
};

// Owns the value the way a step screen does, and records what the field reports.
function Field({initial = '', record, focus = true, ...props}: FieldProps) {
	const [value, setValue] = useState(initial);

	useEffect(() => {
		if (record) {
			record.set = setValue;
		}
	}, [record]);

	return (
		<TextField
			{...props}
			value={value}
			focus={focus}
			onChange={next => {
				record?.changes.push(next);
				setValue(next);
			}}
			onSubmit={submitted => record?.submits.push(submitted)}
		/>
	);
}

async function setup(props: FieldProps = {}) {
	const record: Recorder = {changes: [], submits: []};
	const instance = render(<Field record={record} {...props} />);
	await delay(20);

	const write = async (...chunks: string[]) => {
		for (const chunk of chunks) {
			instance.stdin.write(chunk);
		}

		await delay(20);
	};

	return {...instance, record, write};
}

afterEach(() => {
	cleanup();
});

describe('TextField keys', () => {
	test('ab, Left, c written as one chunk gives acb', async () => {
		const {lastFrame, record, write} = await setup();
		await write(`ab${LEFT}c`);
		expect(lastFrame()).toBe(`ac${cursor('b')}`);
		expect(record.changes.at(-1)).toBe('acb');
	});

	test('three writes with no pause between them all apply', async () => {
		const {lastFrame, record, write} = await setup();
		await write('a', 'b', 'c');
		expect(lastFrame()).toBe(`abc${cursor(' ')}`);
		expect(record.changes.at(-1)).toBe('abc');
	});

	test('text and escape sequences in separate writes with no pause all apply', async () => {
		const {lastFrame, write} = await setup();
		await write('ab', LEFT, 'c', RIGHT, 'd');
		expect(lastFrame()).toBe(`acbd${cursor(' ')}`);
	});

	test('Backspace after an emoji removes the whole emoji', async () => {
		const {lastFrame, record, write} = await setup();
		await write('a😀');
		await write(BACKSPACE);
		expect(lastFrame()).toBe(`a${cursor(' ')}`);
		expect(record.changes.at(-1)).toBe('a');
		expect(record.changes.join('')).not.toMatch(LONE_SURROGATE);
		expect(lastFrame()).not.toMatch(LONE_SURROGATE);
	});

	test.each([FAMILY, FLAG, E_ACUTE])('Backspace and Delete remove %s whole', async cluster => {
		const first = await setup({initial: `x${cluster}y`});
		await first.write(LEFT, BACKSPACE);
		expect(first.lastFrame()).toBe(`x${cursor('y')}`);
		expect(first.record.changes).toEqual(['xy']);

		const second = await setup({initial: `x${cluster}y`});
		await second.write(CTRL_A, RIGHT, DELETE);
		expect(second.lastFrame()).toBe(`x${cursor('y')}`);
		expect(second.record.changes).toEqual(['xy']);
	});

	test('Ctrl+A then x inserts at the start', async () => {
		const {lastFrame, write} = await setup({initial: 'abc'});
		await write(CTRL_A);
		await write('x');
		expect(lastFrame()).toBe(`x${cursor('a')}bc`);
	});

	test('Ctrl+W deletes the previous word', async () => {
		const {lastFrame, record, write} = await setup({initial: 'hello big world'});
		await write(CTRL_W);
		expect(lastFrame()).toBe(`hello big ${cursor(' ')}`);
		expect(record.changes).toEqual(['hello big ']);
	});

	test('Ctrl+U clears to the start of the line', async () => {
		const {lastFrame, record, write} = await setup({initial: 'hello world'});
		await write(LEFT.repeat(5), CTRL_U);
		expect(lastFrame()).toBe(`${cursor('w')}orld`);
		expect(record.changes).toEqual(['world']);
	});

	test.each(HOME_KEYS)('Home %j moves to the start', async home => {
		const {lastFrame, write} = await setup({initial: 'abc'});
		await write(home, 'x');
		expect(lastFrame()).toBe(`x${cursor('a')}bc`);
	});

	test.each(END_KEYS)('End %j moves to the end', async end => {
		const {lastFrame, write} = await setup({initial: 'abc'});
		await write(CTRL_A, end, 'x');
		expect(lastFrame()).toBe(`abcx${cursor(' ')}`);
	});
});

describe('TextField paste and submit', () => {
	test('a pasted block in a one-line field becomes one line and does not submit', async () => {
		const {lastFrame, record, write} = await setup();
		await write('one\r\ntwo\nthree');
		expect(lastFrame()).toBe(`one two three${cursor(' ')}`);
		expect(record.changes.at(-1)).toBe('one two three');
		expect(record.submits).toEqual([]);
	});

	test('a bracketed paste in a one-line field is one line and no submit', async () => {
		const {record, write} = await setup();
		await write(`${PASTE_START}one\r\ntwo\nthree\r\n${PASTE_END}`);
		expect(record.changes.at(-1)).toBe('one two three ');
		expect(record.submits).toEqual([]);
	});

	test('a lone CR submits a one-line field', async () => {
		const {record, write} = await setup({initial: 'abc'});
		await write(ENTER);
		expect(record.submits).toEqual(['abc']);
		expect(record.changes).toEqual([]);
	});

	test('typing then Enter in one chunk types and then submits', async () => {
		const {record, write} = await setup();
		await write(`abc${ENTER}`);
		expect(record.submits).toEqual(['abc']);
	});

	test('the same paste in a multi-line field keeps three lines', async () => {
		const {lastFrame, record, write} = await setup({multiline: true});
		await write('one\r\ntwo\nthree');
		expect(lastFrame()).toBe(`one\ntwo\nthree${cursor(' ')}`);
		expect(record.changes.at(-1)).toBe('one\ntwo\nthree');
		expect(record.submits).toEqual([]);
	});

	test('Enter breaks the line in a multi-line field and Ctrl+D submits', async () => {
		const {lastFrame, record, write} = await setup({multiline: true});
		await write('a', ENTER, 'b');
		expect(lastFrame()).toBe(`a\nb${cursor(' ')}`);
		await write(CTRL_D);
		expect(record.submits).toEqual(['a\nb']);
	});
});

describe('TextField never inserts control sequences', () => {
	test.each([
		['SGR', SGR_RED],
		['BEL', BEL],
		['OSC title', OSC_TITLE],
	])('%s typed alone, inside text, or pasted', async (_name, sequence) => {
		const {lastFrame, record, write} = await setup();
		await write(sequence);
		expect(record.changes).toEqual([]);
		await write(`a${sequence}b`);
		await write(`${PASTE_START}c${sequence}d${PASTE_END}`);
		await write(`e${sequence}\nf`);
		expect(record.changes.at(-1)).toBe('abcde f');
		expect(plain(lastFrame())).toBe('abcde f ');
	});

	test('a value from outside that holds controls is drawn with visible symbols', async () => {
		const {lastFrame} = await setup({initial: `a${ESC}[31mb${BEL}`});
		expect(plain(lastFrame())).toBe('a\u241B[31mb\u2407 ');
	});
});

describe('TextField layout', () => {
	test('the cursor after wide characters sits after their columns', async () => {
		const {lastFrame, write} = await setup({initial: '日本'});
		expect(lastFrame()).toBe(`日本${cursor(' ')}`);
		const frame = lastFrame() ?? '';
		expect(stringWidth(frame.slice(0, frame.indexOf(`${ESC}[7m`)))).toBe(4);
		await write(LEFT);
		expect(lastFrame()).toBe(`日${cursor('本')}`);
	});

	test('emoji and combining clusters are drawn whole under the cursor', async () => {
		const {lastFrame, write} = await setup({initial: `${FAMILY}${E_ACUTE}${FLAG}`});
		await write(LEFT);
		expect(lastFrame()).toBe(`${FAMILY}${E_ACUTE}${cursor(FLAG)}`);
		await write(LEFT);
		expect(lastFrame()).toBe(`${FAMILY}${cursor(E_ACUTE)}${FLAG}`);
	});

	test('a long value scrolls sideways to keep the cursor in view', async () => {
		const long = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN';
		const {lastFrame, write} = await setup({initial: long, width: 10});
		expect(lastFrame()).toBe(`FGHIJKLMN${cursor(' ')}`);
		await write(CTRL_A);
		expect(lastFrame()).toBe(`${cursor('a')}bcdefghij`);
		await write(RIGHT.repeat(12));
		expect(lastFrame()).toBe(`defghijkl${cursor('m')}`);
		await write(LEFT.repeat(5));
		expect(lastFrame()).toBe(`defg${cursor('h')}ijklm`);
		await write(CTRL_E);
		expect(lastFrame()).toBe(`FGHIJKLMN${cursor(' ')}`);
	});

	test('wide characters scroll without going past the width', async () => {
		const initial = '日本語のテキスト入力欄です';
		const {lastFrame, write} = await setup({initial, width: 10});
		for (const key of [CTRL_A, ...Array.from({length: 13}, () => RIGHT), CTRL_A]) {
			await write(key);
			expect(stringWidth(plain(lastFrame()))).toBeLessThanOrEqual(10);
			expect(lastFrame()).toContain(`${ESC}[7m`);
		}

		expect(lastFrame()).toBe(`${cursor('日')}本語のテ`);
	});

	test('a multi-line field scrolls to keep the cursor line in view', async () => {
		const {lastFrame, write} = await setup({multiline: true, height: 2});
		await write('a', ENTER, 'b', ENTER, 'c', ENTER, 'd');
		expect(lastFrame()).toBe(`c\nd${cursor(' ')}`);
		await write(UP, UP);
		expect(lastFrame()).toBe(`b${cursor(' ')}\nc`);
		await write(UP);
		expect(lastFrame()).toBe(`a${cursor(' ')}\nb`);
		await write(UP);
		expect(lastFrame()).toBe(`${cursor('a')}\nb`);
	});

	test('a multi-line field wraps long lines at its width', async () => {
		const initial = 'abcdefg\n日本語';
		const {lastFrame} = await setup({multiline: true, width: 4, initial});
		expect(lastFrame()).toBe(`abcd\nefg\n日本\n語${cursor(' ')}`);
	});

	test('a mask hides every character', async () => {
		const {lastFrame, record, write} = await setup({mask: '*'});
		await write('s3cr😀t');
		expect(lastFrame()).toBe(`******${cursor(' ')}`);
		expect(record.changes.at(-1)).toBe('s3cr😀t');
	});

	test('the placeholder shows while the value is empty', async () => {
		const {lastFrame, write} = await setup({placeholder: 'System name'});
		expect(lastFrame()).toBe(`${cursor('S')}${chalk.dim('ystem name')}`);
		await write('x');
		expect(lastFrame()).toBe(`x${cursor(' ')}`);
	});
});

describe('TextField ownership', () => {
	test('follows a value changed from outside', async () => {
		const {lastFrame, record, write} = await setup({initial: 'draft'});
		await write('!');
		record.set?.('');
		await delay(20);
		expect(lastFrame()).toBe(cursor(' '));
		await write('z');
		expect(lastFrame()).toBe(`z${cursor(' ')}`);
		record.set?.('loaded');
		await delay(20);
		await write('?');
		expect(lastFrame()).toBe(`loaded?${cursor(' ')}`);
	});

	test('an unfocused field ignores keys and draws no cursor', async () => {
		const {lastFrame, record, write} = await setup({initial: 'abc', focus: false});
		await write('x', BACKSPACE, ENTER);
		expect(lastFrame()).toBe('abc');
		expect(record.changes).toEqual([]);
		expect(record.submits).toEqual([]);
	});
});
