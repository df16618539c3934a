import {expect, test} from 'vitest';
import {paint, useColor} from '../../src/color.js';

const tty = {isTTY: true};
const pipe = {isTTY: false};

test.each([
	['a terminal', {}, tty, true, true],
	['a pipe', {}, pipe, true, false],
	['a stream that does not say', {}, {}, true, false],
	['--no-color on a terminal', {}, tty, false, false],
	['NO_COLOR on a terminal', {NO_COLOR: '1'}, tty, true, false],
	['an empty NO_COLOR', {NO_COLOR: ''}, tty, true, true],
	['FORCE_COLOR on a pipe', {FORCE_COLOR: '1'}, pipe, true, true],
	['an empty FORCE_COLOR on a pipe', {FORCE_COLOR: ''}, pipe, true, true],
	['FORCE_COLOR=0 on a terminal', {FORCE_COLOR: '0'}, tty, true, false],
	['FORCE_COLOR=false on a terminal', {FORCE_COLOR: 'false'}, tty, true, false],
	['NO_COLOR over FORCE_COLOR', {NO_COLOR: '1', FORCE_COLOR: '3'}, pipe, true, false],
	['--no-color over FORCE_COLOR', {FORCE_COLOR: '3'}, tty, false, false],
])('colour on %s: %s', (_name, env, stream, flag, expected) => {
	expect(useColor({env, stream, flag})).toBe(expected);
});

test('paint wraps text in a style only when colour is on', () => {
	expect(paint(true, 'green', 'created')).toBe('\u001B[32mcreated\u001B[39m');
	expect(paint(false, 'green', 'created')).toBe('created');
	expect(paint(true, 'bold', '')).toBe('');
});
