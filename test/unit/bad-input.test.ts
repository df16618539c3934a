import {describe, expect, test} from 'vitest';
import {AnswersFileError, parseAnswersText, validateAnswers} from '../../src/answers-file.js';
import {getIn, validatePart, type DraftAnswers} from '../../src/draft.js';
import {applyKeys, splitInput} from '../../src/editing.js';
import {architectureSchema} from '../../steps/architecture.js';
import {capSchema} from '../../steps/cap.js';
import {getAt, rawExample, setAt} from './example.js';

// Bad input, row by row, with the exact message each must produce: in answers files (the
// field's path and why), in the wizard's validation of a step, and at the key reader.

const FILE = 'design.json';
type Path = readonly (string | number)[];

/** The lines an answers file with this value at this path is refused with, or its answers. */
function check(path: Path, value: unknown): {lines: readonly string[]} | {answers: unknown} {
	try {
		return {answers: validateAnswers(setAt(rawExample(), path, value), FILE)};
	} catch (error) {
		if (!(error instanceof AnswersFileError)) throw error;
		return {lines: error.lines};
	}
}

function refusal(text: string, file = FILE): readonly string[] {
	try {
		validateAnswers(parseAnswersText(text, file), file);
	} catch (error) {
		if (error instanceof AnswersFileError) return error.lines;
		throw error;
	}

	throw new Error('the file was accepted');
}

const components = getAt(rawExample(), ['architecture', 'components']) as {name: string}[];
const firstComponent = components[0]!;
const usedTwice = `Component name "${firstComponent.name}" is used twice`;

describe('answers files refuse bad values with the field path and why', () => {
	test.each<[string, Path, unknown, string[]]>([
		['an empty value', ['system'], '', ['system: System name is required']],
		['a value of spaces and tabs', ['system'], ' \t  ', ['system: System name is required']],
		[
			'an empty multi-line value',
			['cap', 'rationale'],
			'\n\n',
			['cap.rationale: Rationale is required'],
		],
		[
			'a one-line value over its limit',
			['system'],
			'x'.repeat(501),
			['system: System name is longer than 500 characters'],
		],
		[
			'a multi-line value over its limit',
			['cap', 'rationale'],
			'x'.repeat(100_001),
			['cap.rationale: Rationale is longer than 100000 characters'],
		],
		[
			'a control character',
			['system'],
			'Chat\u0007',
			['system: System name contains a control character'],
		],
		[
			'a colour escape sequence',
			['system'],
			'\u001B[31mRed',
			['system: System name contains a control character'],
		],
		[
			'a title-setting escape in text',
			['cap', 'rationale'],
			'a\u001B]0;owned\u0007b',
			['cap.rationale: Rationale contains a control character'],
		],
		[
			'an 8-bit control sequence introducer',
			['system'],
			'a\u009B2Jb',
			['system: System name contains a control character'],
		],
		[
			'a DEL',
			['requirements', 'functional', 0, 'name'],
			'Edit\u007F',
			['requirements.functional[0].name: Requirement name contains a control character'],
		],
		[
			'a confidence above 1',
			['cap', 'confidence'],
			1.5,
			['cap.confidence: Confidence must be between 0 and 1'],
		],
		[
			'a confidence below 0',
			['cap', 'confidence'],
			-0.1,
			['cap.confidence: Confidence must be between 0 and 1'],
		],
		[
			'a confidence in words',
			['cap', 'confidence'],
			'high',
			['cap.confidence: Confidence must be a number between 0 and 1'],
		],
		[
			'a confidence as quoted text',
			['cap', 'confidence'],
			'0.8',
			['cap.confidence: Confidence must be a number between 0 and 1'],
		],
		[
			'a confidence that is null',
			['consistency', 'confidence'],
			null,
			['consistency.confidence: Confidence must be a number between 0 and 1'],
		],
		[
			'a confidence that is not finite',
			['scalability', 'confidence'],
			Infinity,
			['scalability.confidence: Confidence must be a number between 0 and 1'],
		],
		[
			'a component name used twice',
			['architecture', 'components', components.length],
			firstComponent,
			[`architecture.components[${components.length}].name: ${usedTwice}`],
		],
		[
			'a connection to an unknown component',
			['architecture', 'connections', 0, 'to'],
			'Nowhere',
			['architecture.connections[0].to: Connection to "Nowhere" is not a component name'],
		],
		[
			'a step that is text, not fields',
			['cap'],
			'CP',
			['cap: CAP analysis must be a group of fields'],
		],
		[
			'a list that is text',
			['cap', 'behavior'],
			'one',
			['cap.behavior: Behaviour during a partition must be a list'],
		],
		['a field the model does not know', ['colour'], 'blue', ['unknown field "colour"']],
		[
			'a field named with an escape sequence, quoted with the escape made visible',
			['\u001B]0;owned\u0007'],
			1,
			['unknown field "\\u001B]0;owned\\u0007"'],
		],
		[
			'a field of a step named with an escape sequence',
			['cap', 'x\u001B[2J'],
			1,
			['cap: CAP analysis has unknown field "x\\u001B[2J"'],
		],
	])('%s', (_name, path, value, lines) => {
		expect(check(path, value)).toEqual({lines: lines.map(line => `${FILE}: ${line}`)});
	});

	test.each<[string, Path, string]>([
		['a carriage return', ['system'], 'Chat\rService'],
		['a CRLF line break', ['system'], 'Chat\r\nService'],
		['a line feed', ['requirements', 'functional', 0, 'name'], 'Two\nlines'],
	])('%s in a one-line value is refused: it must be one line', (_name, path, value) => {
		const result = check(path, value);
		expect(result).toHaveProperty('lines');
		const [first] = (result as {lines: string[]}).lines;
		expect(first).toMatch(/^design\.json: [\w.[\]]+: .+ must be one line$/);
	});

	// The one-line check and the control-character check both see a CR, so the file gets
	// two lines for one fault.
	test.fails('a carriage return in a one-line value gives one message, not two', () => {
		expect(check(['system'], 'Chat\rService')).toEqual({
			lines: [`${FILE}: system: System name must be one line`],
		});
	});
});

describe('answers files accept and normalise', () => {
	test.each<[string, Path, unknown, unknown]>([
		[
			'CRLF and CR in multi-line text, made LF',
			['cap', 'rationale'],
			'one\r\ntwo\rthree',
			'one\ntwo\nthree',
		],
		['a line break at the end of a one-line value, trimmed', ['system'], 'Chat\r\n', 'Chat'],
		['a tab inside a one-line value, kept', ['system'], 'Chat\tService', 'Chat\tService'],
		['a tab in multi-line text, kept', ['cap', 'rationale'], 'a\tb', 'a\tb'],
		[
			'wide, combining and emoji characters',
			['system'],
			'設計 e\u0301 👩‍💻 🇯🇵',
			'設計 e\u0301 👩‍💻 🇯🇵',
		],
		[
			'emoji in a list row',
			['cap', 'behavior', 0],
			'Keep editing ✍️ offline',
			'Keep editing ✍️ offline',
		],
		['a confidence of 0', ['cap', 'confidence'], 0, 0],
		['a confidence of 1', ['cap', 'confidence'], 1, 1],
	])('%s', (_name, path, value, stored) => {
		const result = check(path, value);
		expect(result).toHaveProperty('answers');
		expect(getIn((result as {answers: unknown}).answers, path)).toEqual(stored);
	});
});

describe('answers files that cannot be read as answers', () => {
	test.each<[string, string, string, string]>([
		['empty', 'design.yaml', '', 'design.yaml: the answers file is empty'],
		['only blank lines', 'design.yaml', ' \n\t\n', 'design.yaml: the answers file is empty'],
		[
			'not YAML',
			'design.yaml',
			'system: [unclosed',
			'design.yaml: not valid JSON or YAML at line 1, column 18 (unexpected end of the ' +
				'stream within a flow collection)',
		],
		[
			'JSON cut short',
			'design.json',
			'{"system": ',
			'design.json: not valid JSON (Unexpected end of JSON input)',
		],
		[
			'a list',
			'design.yaml',
			'- one\n- two\n',
			'design.yaml: the answers file must hold one object (a mapping)',
		],
		[
			'a bare word',
			'design.yaml',
			'hello',
			'design.yaml: the answers file must hold one object (a mapping)',
		],
		[
			'a number',
			'design.json',
			'42',
			'design.json: the answers file must hold one object (a mapping)',
		],
		[
			'null',
			'design.json',
			'null',
			'design.json: the answers file must hold one object (a mapping)',
		],
		[
			'named with an escape sequence',
			'a\u001B[2J.yaml',
			'',
			'a\\u001B[2J.yaml: the answers file is empty',
		],
	])('%s', (_name, file, text, line) => {
		expect(refusal(text, file)).toEqual([line]);
	});

	test('a mapping of the wrong shape names every missing step', () => {
		expect(refusal('{"system": "Chat"}')).toEqual([
			'design.json: requirements: Requirements is required',
			'design.json: cap: CAP analysis is required',
			'design.json: consistency: Consistency model is required',
			'design.json: architecture: Architecture is required',
			'design.json: scalability: Scalability strategy is required',
		]);
	});
});

describe("the wizard's validation of a step", () => {
	const withCap = (field: string, value: unknown): DraftAnswers =>
		setAt(rawExample(), ['cap', field], value) as DraftAnswers;

	test.each<[string, string, unknown, string]>([
		['an empty value', 'rationale', '', 'Rationale is required'],
		['a value of spaces', 'rationale', '   \n  ', 'Rationale is required'],
		[
			'a value over its limit',
			'rationale',
			'x'.repeat(100_001),
			'Rationale is longer than 100000 characters',
		],
		[
			'an escape sequence in a draft file',
			'rationale',
			'a\u001B[2Jb',
			'Rationale contains a control character',
		],
		[
			'a confidence typed as words',
			'confidence',
			'abc',
			'Confidence must be a number between 0 and 1',
		],
		['a confidence typed above 1', 'confidence', '1.5', 'Confidence must be between 0 and 1'],
		['a confidence left blank', 'confidence', '', 'Confidence is required'],
		[
			'a confidence typed as nan',
			'confidence',
			'nan',
			'Confidence must be a number between 0 and 1',
		],
	])('%s: the field shows the message', (_name, field, value, message) => {
		const result = validatePart(capSchema, withCap(field, value), ['cap']);
		expect(result).toEqual({ok: false, errors: new Map([[`cap.${field}`, message]])});
	});

	test.each<[string, string, unknown, unknown]>([
		['CRLF in text, made LF', 'rationale', 'a\r\nb', 'a\nb'],
		['a confidence typed with a trailing point', 'confidence', '0.', 0],
		['a confidence typed without a leading zero', 'confidence', '.85', 0.85],
		['emoji and combining characters', 'rationale', 'Edits ✍️ merge, café', 'Edits ✍️ merge, café'],
	])('%s', (_name, field, value, stored) => {
		const result = validatePart(capSchema, withCap(field, value), ['cap']);
		expect(result.ok).toBe(true);
		expect(getIn((result as {value: unknown}).value, [field])).toEqual(stored);
	});

	test('a field of a draft named with an escape sequence: the message shows it escaped', () => {
		const result = validatePart(capSchema, withCap('\u001B]0;owned\u0007', 1), ['cap']);
		expect(result).toEqual({
			ok: false,
			errors: new Map([['cap', 'CAP analysis has unknown field "\\u001B]0;owned\\u0007"']]),
		});
	});

	test('a component name used twice, and a connection to no component', () => {
		const draft = setAt(rawExample(), ['architecture', 'components', components.length], {
			...firstComponent,
			name: firstComponent.name.toUpperCase(),
		});
		const broken = setAt(draft, ['architecture', 'connections', 0, 'from'], 'Nowhere');
		const result = validatePart(architectureSchema, broken as DraftAnswers, ['architecture']);
		expect(result).toEqual({
			ok: false,
			errors: new Map([
				[
					`architecture.components.${components.length}.name`,
					`Component name "${firstComponent.name.toUpperCase()}" is used twice`,
				],
				['architecture.connections.0.from', 'Connection from "Nowhere" is not a component name'],
			]),
		});
	});
});

describe('the key reader', () => {
	const typed = (input: string, multiline = false) =>
		applyKeys({value: '', cursor: 0}, splitInput(input), {multiline}).state.value;

	test('a typed escape sequence never reaches a field', () => {
		expect(typed('\u001B[31mred\u001B[0m \u001B]0;owned\u0007ok\u009B2J')).toBe('red ok');
	});

	test.each([
		['bracketed', '\u001B[200~line one\r\nline two\nline three\u001B[201~'],
		['unbracketed', 'line one\r\nline two\nline three'],
	])('a %s paste of many lines in a one-line field becomes one line', (_name, input) => {
		expect(typed(input)).toBe('line one line two line three');
	});

	test('a paste into multi-line text keeps its lines as LF and its tabs as spaces', () => {
		expect(typed('\u001B[200~a\r\nb\rc\td\u001B[201~', true)).toBe('a\nb\nc    d');
	});

	test('wide, combining and emoji characters are typed as they are', () => {
		expect(typed('設計 e\u0301 👩‍💻')).toBe('設計 e\u0301 👩‍💻');
	});
});
