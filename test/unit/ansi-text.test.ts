import {describe, expect, test} from 'vitest';
import {stripAnsi, truncateAnsi, visibleWidth, wrapAnsi} from '../../src/ansi-text.js';

const bold = (text: string) => `\u001B[1m${text}\u001B[22m`;
const red = (text: string) => `\u001B[31m${text}\u001B[39m`;
const reset = '\u001B[0m';

describe('stripAnsi and visibleWidth', () => {
	test('leave out colour codes and hyperlinks', () => {
		const link = '\u001B]8;;https://example.com\u0007site\u001B]8;;\u0007';
		expect(stripAnsi(`${bold('a')} ${link}`)).toBe('a site');
		expect(visibleWidth(`${bold('a')} ${link}`)).toBe(6);
	});

	test('count wide characters as two columns', () => {
		expect(visibleWidth(red('文書 ok'))).toBe(7);
		expect(visibleWidth('🚀')).toBe(2);
	});
});

describe('truncateAnsi', () => {
	test('leaves a line that fits alone', () => {
		expect(truncateAnsi(red('short'), 5)).toBe(red('short'));
	});

	test('cuts plain text to the width', () => {
		expect(truncateAnsi('abcdef', 4)).toBe('abcd');
		expect(truncateAnsi('abcdef', 4, true)).toBe('abc…');
	});

	test('never splits a wide character', () => {
		expect(truncateAnsi('文書サービス', 5)).toBe('文書');
		expect(visibleWidth(truncateAnsi('文書サービス', 5, true))).toBeLessThanOrEqual(5);
	});

	test('keeps escape sequences and closes a style left open', () => {
		expect(truncateAnsi(`${red('abcdef')} tail`, 3)).toBe(`\u001B[31mabc${reset}`);
		expect(truncateAnsi(`${bold('ab')}cdef`, 3)).toBe(`${bold('ab')}c`);
	});
});

describe('wrapAnsi', () => {
	test('breaks at spaces', () => {
		expect(wrapAnsi('one two three four', 9)).toEqual(['one two', 'three', 'four']);
	});

	test('indents later lines by the hang', () => {
		expect(wrapAnsi('  * alpha beta gamma', 12, 4)).toEqual(['  * alpha', '    beta', '    gamma']);
	});

	test('breaks a word longer than a line between graphemes', () => {
		expect(wrapAnsi('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
		expect(wrapAnsi('文書サービス', 5)).toEqual(['文書', 'サー', 'ビス']);
	});

	test('makes every line stand alone: a style open at a break is closed and reopened', () => {
		const lines = wrapAnsi(`${red('one two three')} four`, 10);
		expect(lines).toEqual([`\u001B[31mone two${reset}`, `\u001B[31mthree\u001B[39m four`]);
	});

	test('reopens only the styles still in force', () => {
		const lines = wrapAnsi(`${bold('a')} ${red('bb cc')}`, 4);
		expect(lines).toEqual([`${bold('a')} \u001B[31mbb${reset}`, `\u001B[31mcc\u001B[39m`]);
	});

	test('keeps every line within the width', () => {
		const text = `${bold('Scaling:')} Vertical for the primary, ${red('read replicas')} for reads`;
		for (const width of [10, 17, 30]) {
			for (const line of wrapAnsi(text, width, 2)) {
				expect(visibleWidth(line)).toBeLessThanOrEqual(width);
			}
		}
	});
});
