import {describe, expect, test} from 'vitest';
import type {z} from 'zod';
import {answersSchema} from '../../src/answers.js';
import {architectureSchema} from '../../steps/architecture.js';
import {capSchema} from '../../steps/cap.js';
import {consistencySchema} from '../../steps/consistency.js';
import {LINE_LIMIT, LIST_LIMIT, TEXT_LIMIT} from '../../steps/fields.js';
import {requirementsSchema} from '../../steps/requirements.js';
import {scalabilitySchema} from '../../steps/scalability.js';
import {rawExample, setAt} from './example.js';

type Path = readonly (string | number)[];
type Case = {
	readonly name: string;
	readonly path: Path;
	/** The new value at `path`; a case without one removes the key. */
	readonly value?: unknown;
	readonly remove?: true;
	readonly issues: readonly {readonly path: Path; readonly message: string}[];
};

const escape = '\u001b[31m';

/** The issues of a failed parse as path and message only. */
function issuesOf(schema: z.ZodType, value: unknown) {
	const result = schema.safeParse(value);
	if (result.success) return [];
	return result.error.issues.map(issue => ({path: issue.path, message: issue.message}));
}

/** One issue at `path`. */
function only(path: Path, message: string) {
	return [{path, message}];
}

/** Runs each case against a copy of the example's answers for one step. */
function matrix(schema: z.ZodType, step: string, cases: readonly Case[]) {
	const valid = rawExample()[step];

	test('the example is valid', () => {
		expect(issuesOf(schema, valid)).toEqual([]);
	});

	test.each(cases)('$name', item => {
		const value = item.remove ? setAt(valid, item.path) : setAt(valid, item.path, item.value);
		expect(issuesOf(schema, value)).toEqual(item.issues);
	});
}

describe('requirements schema', () => {
	matrix(requirementsSchema, 'requirements', [
		{
			name: 'missing field',
			path: ['performance', 'latency'],
			remove: true,
			issues: only(['performance', 'latency'], 'Latency is required'),
		},
		{
			name: 'missing group',
			path: ['availability'],
			remove: true,
			issues: only(['availability'], 'Availability is required'),
		},
		{
			name: 'group of the wrong type',
			path: ['availability'],
			value: '99.9%',
			issues: only(['availability'], 'Availability must be a group of fields'),
		},
		{
			name: 'unknown field',
			path: ['performance', 'jitter'],
			value: 'low',
			issues: only(['performance'], 'Performance has unknown field "jitter"'),
		},
		{
			name: 'empty string',
			path: ['performance', 'throughput'],
			value: '',
			issues: only(['performance', 'throughput'], 'Throughput is required'),
		},
		{
			name: 'whitespace-only string',
			path: ['scalability', 'users'],
			value: ' \t ',
			issues: only(['scalability', 'users'], 'Users is required'),
		},
		{
			name: 'whitespace-only text',
			path: ['other', 'cost'],
			value: '\n  \n',
			issues: only(['other', 'cost'], 'Cost is required'),
		},
		{
			name: 'number for a line',
			path: ['availability', 'rto'],
			value: 5,
			issues: only(['availability', 'rto'], 'RTO must be text'),
		},
		{
			name: 'list for a text',
			path: ['consistency', 'strong'],
			value: ['a'],
			issues: only(['consistency', 'strong'], 'Strong consistency must be text'),
		},
		{
			name: 'line too long',
			path: ['functional', 0, 'name'],
			value: 'x'.repeat(LINE_LIMIT + 1),
			issues: only(['functional', 0, 'name'], 'Requirement name is longer than 500 characters'),
		},
		{
			name: 'text too long',
			path: ['other', 'compliance'],
			value: 'x'.repeat(TEXT_LIMIT + 1),
			issues: only(['other', 'compliance'], 'Compliance is longer than 100000 characters'),
		},
		{
			name: 'terminal escape in a text',
			path: ['other', 'operability'],
			value: `on-call ${escape}now`,
			issues: only(['other', 'operability'], 'Operability contains a control character'),
		},
		{
			name: 'terminal escape in a line',
			path: ['scalability', 'growth'],
			value: `${escape}3x`,
			issues: only(['scalability', 'growth'], 'Growth contains a control character'),
		},
		{
			name: 'line break in a one-line field',
			path: ['functional', 0, 'description'],
			value: 'multiple users\nedit',
			issues: only(['functional', 0, 'description'], 'Requirement description must be one line'),
		},
		{
			name: 'empty required list',
			path: ['functional'],
			value: [],
			issues: only(['functional'], 'Functional requirements needs at least 1 item'),
		},
		{
			name: 'text for a list',
			path: ['functional'],
			value: 'edit documents',
			issues: only(['functional'], 'Functional requirements must be a list'),
		},
		{
			name: 'list too long',
			path: ['consistency', 'additional'],
			value: Array.from({length: LIST_LIMIT + 1}, () => ({model: 'Causal', scope: 'Edits'})),
			issues: only(
				['consistency', 'additional'],
				'Other consistency needs holds more than 200 items',
			),
		},
		{
			name: 'missing field in a list row',
			path: ['consistency', 'additional', 0, 'scope'],
			remove: true,
			issues: only(['consistency', 'additional', 0, 'scope'], 'What needs it is required'),
		},
	]);

	test('a text keeps its line breaks, as LF, and loses surrounding space', () => {
		const value = setAt(rawExample()['requirements'], ['other', 'cost'], '  a\r\nb\rc  ');
		expect(requirementsSchema.parse(value).other.cost).toBe('a\nb\nc');
	});

	test('a line loses surrounding space', () => {
		const value = setAt(rawExample()['requirements'], ['availability', 'rto'], '  5 minutes ');
		expect(requirementsSchema.parse(value).availability.rto).toBe('5 minutes');
	});

	test('C1 controls and DEL are refused too', () => {
		for (const control of ['\u009b', '\u007f', '\u0007']) {
			const value = setAt(rawExample()['requirements'], ['availability', 'rto'], `5${control}`);
			expect(issuesOf(requirementsSchema, value)).toEqual(
				only(['availability', 'rto'], 'RTO contains a control character'),
			);
		}
	});
});

describe('cap schema', () => {
	matrix(capSchema, 'cap', [
		{
			name: 'bad choice',
			path: ['choice'],
			value: 'AC',
			issues: only(['choice'], 'Choice must be CP, AP or CA'),
		},
		{
			name: 'choice in lower case',
			path: ['choice'],
			value: 'ap',
			issues: only(['choice'], 'Choice must be CP, AP or CA'),
		},
		{
			name: 'missing choice',
			path: ['choice'],
			remove: true,
			issues: only(['choice'], 'Choice is required'),
		},
		{
			name: 'confidence below 0',
			path: ['confidence'],
			value: -0.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence above 1',
			path: ['confidence'],
			value: 1.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence as text',
			path: ['confidence'],
			value: 'abc',
			issues: only(['confidence'], 'Confidence must be a number between 0 and 1'),
		},
		{
			name: 'confidence as a numeric string',
			path: ['confidence'],
			value: '0.85',
			issues: only(['confidence'], 'Confidence must be a number between 0 and 1'),
		},
		{
			name: 'missing confidence',
			path: ['confidence'],
			remove: true,
			issues: only(['confidence'], 'Confidence is required'),
		},
		{
			name: 'missing text',
			path: ['rationale'],
			remove: true,
			issues: only(['rationale'], 'Rationale is required'),
		},
		{
			name: 'empty required list',
			path: ['behavior'],
			value: [],
			issues: only(['behavior'], 'Behaviour during a partition needs at least 1 item'),
		},
		{
			name: 'empty item in a list',
			path: ['implications', 1],
			value: '  ',
			issues: only(['implications', 1], 'Implication is required'),
		},
		{
			name: 'number in a list of lines',
			path: ['tradeoffs', 0],
			value: 3,
			issues: only(['tradeoffs', 0], 'Trade-off must be text'),
		},
		{
			name: 'line break in a list item',
			path: ['behavior', 0],
			value: 'Users continue\nediting',
			issues: only(['behavior', 0], 'Behaviour must be one line'),
		},
		{
			name: 'row of the wrong type',
			path: ['alternatives', 0],
			value: 'CP',
			issues: only(['alternatives', 0], 'Alternative must be a group of fields'),
		},
		{
			name: 'unknown key in a row',
			path: ['alternatives', 0, 'why'],
			value: 'x',
			issues: only(['alternatives', 0], 'Alternative has unknown field "why"'),
		},
	]);

	test('confidence may be 0 or 1', () => {
		for (const value of [0, 1]) {
			expect(issuesOf(capSchema, setAt(rawExample()['cap'], ['confidence'], value))).toEqual([]);
		}
	});

	test('each choice is accepted', () => {
		for (const value of ['CP', 'AP', 'CA']) {
			expect(issuesOf(capSchema, setAt(rawExample()['cap'], ['choice'], value))).toEqual([]);
		}
	});
});

describe('consistency schema', () => {
	matrix(consistencySchema, 'consistency', [
		{
			name: 'empty required list',
			path: ['perDataType'],
			value: [],
			issues: only(['perDataType'], 'Per-data-type models needs at least 1 item'),
		},
		{
			name: 'missing column',
			path: ['perDataType', 2, 'model'],
			remove: true,
			issues: only(['perDataType', 2, 'model'], 'Model is required'),
		},
		{
			name: 'row of the wrong type',
			path: ['implementation', 0],
			value: 'Yjs',
			issues: only(['implementation', 0], 'Implementation must be a group of fields'),
		},
		{
			name: 'terminal escape in a list item',
			path: ['userExperience', 0],
			value: `Edits ${escape}appear`,
			issues: only(['userExperience', 0], 'User experience note contains a control character'),
		},
		{
			name: 'line break in a one-line field',
			path: ['primary'],
			value: 'Causal\nconsistency',
			issues: only(['primary'], 'Primary model must be one line'),
		},
		{
			name: 'confidence above 1',
			path: ['confidence'],
			value: 1.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence below 0',
			path: ['confidence'],
			value: -0.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence as text',
			path: ['confidence'],
			value: 'abc',
			issues: only(['confidence'], 'Confidence must be a number between 0 and 1'),
		},
	]);

	test('optional lists may be empty', () => {
		const value = setAt(
			setAt(rawExample()['consistency'], ['conflictResolution'], []),
			['userExperience'],
			[],
		);
		expect(issuesOf(consistencySchema, value)).toEqual([]);
	});
});

describe('architecture schema', () => {
	matrix(architectureSchema, 'architecture', [
		{
			name: 'connection naming an unknown component',
			path: ['connections', 0, 'to'],
			value: 'Load Balancer',
			issues: only(
				['connections', 0, 'to'],
				'Connection to "Load Balancer" is not a component name',
			),
		},
		{
			name: 'connection from an unknown component',
			path: ['connections', 2, 'from'],
			value: 'Gateway',
			issues: only(['connections', 2, 'from'], 'Connection from "Gateway" is not a component name'),
		},
		{
			name: 'duplicate component names, in any case',
			path: ['components', 1, 'name'],
			value: 'browser (client)',
			issues: [
				{
					path: ['components', 1, 'name'],
					message: 'Component name "browser (client)" is used twice',
				},
				{
					path: ['connections', 0, 'to'],
					message: 'Connection to "WebSocket Server" is not a component name',
				},
				{
					path: ['connections', 1, 'from'],
					message: 'Connection from "WebSocket Server" is not a component name',
				},
				{
					path: ['connections', 2, 'from'],
					message: 'Connection from "WebSocket Server" is not a component name',
				},
				{
					path: ['connections', 3, 'from'],
					message: 'Connection from "WebSocket Server" is not a component name',
				},
			],
		},
		{
			name: 'empty required list',
			path: ['components'],
			value: [],
			issues: [
				{path: ['components'], message: 'Components needs at least 1 item'},
				...[0, 1, 2, 3, 4, 5].flatMap(index => {
					const row = (rawExample()['architecture'] as {connections: {from: string; to: string}[]})
						.connections[index]!;
					return [
						{
							path: ['connections', index, 'from'],
							message: `Connection from "${row.from}" is not a component name`,
						},
						{
							path: ['connections', index, 'to'],
							message: `Connection to "${row.to}" is not a component name`,
						},
					];
				}),
			],
		},
		{
			name: 'missing required column',
			path: ['components', 6, 'scaling'],
			remove: true,
			issues: only(['components', 6, 'scaling'], 'Scaling is required'),
		},
		{
			name: 'detail without a label',
			path: ['components', 1, 'details', 0],
			value: 'Active document connections',
			issues: only(['components', 1, 'details', 0], 'Detail must read "Label: value"'),
		},
		{
			name: 'data flow without steps',
			path: ['dataFlows', 1, 'steps'],
			value: [],
			issues: only(['dataFlows', 1, 'steps'], 'Data flow steps needs at least 1 item'),
		},
		{
			name: 'whitespace-only diagram',
			path: ['diagram'],
			value: ' \n\t\n ',
			issues: only(['diagram'], 'Diagram is required'),
		},
		{
			name: 'terminal escape in the diagram',
			path: ['diagram'],
			value: `┌─┐\n│${escape}x│\n└─┘`,
			issues: only(['diagram'], 'Diagram contains a control character'),
		},
		{
			name: 'line break in a one-line field',
			path: ['failureModes', 0, 'impact'],
			value: 'Users\ndisconnected',
			issues: only(['failureModes', 0, 'impact'], 'Impact must be one line'),
		},
		{
			name: 'confidence above 1',
			path: ['confidence'],
			value: 1.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence below 0',
			path: ['confidence'],
			value: -0.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence as text',
			path: ['confidence'],
			value: 'abc',
			issues: only(['confidence'], 'Confidence must be a number between 0 and 1'),
		},
	]);

	test('the diagram and confidence are optional', () => {
		const value = setAt(setAt(rawExample()['architecture'], ['diagram']), ['confidence']);
		expect(issuesOf(architectureSchema, value)).toEqual([]);
	});

	test('a diagram keeps the indentation of its first line', () => {
		const diagram = '\n\n   ┌───┐  \r\n   │ A │\r\n   └───┘\n\n';
		const value = setAt(rawExample()['architecture'], ['diagram'], diagram);
		expect(architectureSchema.parse(value).diagram).toBe('   ┌───┐\n   │ A │\n   └───┘');
	});

	test('connections match component names in any case', () => {
		const value = setAt(rawExample()['architecture'], ['connections', 0, 'to'], 'websocket server');
		expect(issuesOf(architectureSchema, value)).toEqual([]);
	});
});

describe('scalability schema', () => {
	matrix(scalabilitySchema, 'scalability', [
		{
			name: 'empty required list in a group',
			path: ['bottlenecks', 'current'],
			value: [],
			issues: only(['bottlenecks', 'current'], 'Current bottlenecks needs at least 1 item'),
		},
		{
			name: 'empty required list of alerts',
			path: ['monitoring', 'alerts'],
			value: [],
			issues: only(['monitoring', 'alerts'], 'Alerts needs at least 1 item'),
		},
		{
			name: 'number for a line',
			path: ['sharding', 'count'],
			value: 16,
			issues: only(['sharding', 'count'], 'Shard count must be text'),
		},
		{
			name: 'missing column',
			path: ['cost', 'items', 0, 'perUserMonth'],
			remove: true,
			issues: only(['cost', 'items', 0, 'perUserMonth'], 'Cost per user per month is required'),
		},
		{
			name: 'missing group',
			path: ['sharding'],
			remove: true,
			issues: only(['sharding'], 'Sharding is required'),
		},
		{
			name: 'line too long',
			path: ['cost', 'target'],
			value: '$'.repeat(LINE_LIMIT + 1),
			issues: only(['cost', 'target'], 'Cost target is longer than 500 characters'),
		},
		{
			name: 'line break in a one-line field',
			path: ['sharding', 'key'],
			value: 'document_id\r\n(consistent hash)',
			issues: [
				{path: ['sharding', 'key'], message: 'Shard key must be one line'},
				{path: ['sharding', 'key'], message: 'Shard key contains a control character'},
			],
		},
		{
			name: 'confidence above 1',
			path: ['confidence'],
			value: 1.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence below 0',
			path: ['confidence'],
			value: -0.1,
			issues: only(['confidence'], 'Confidence must be between 0 and 1'),
		},
		{
			name: 'confidence as text',
			path: ['confidence'],
			value: 'abc',
			issues: only(['confidence'], 'Confidence must be a number between 0 and 1'),
		},
	]);
});

describe('answers schema', () => {
	test('the example is valid and keeps its task and agent', () => {
		const answers = answersSchema.parse(rawExample());
		expect(answers.task).toEqual({id: 'a3f8b2c1-1234-5678-90ab-cdef12345678'});
		expect(answers.agent).toBe('default');
		expect(answers.slug).toBe('collab-editor');
	});

	test('a missing step is named', () => {
		expect(issuesOf(answersSchema, setAt(rawExample(), ['cap']))).toEqual(
			only(['cap'], 'CAP analysis is required'),
		);
	});

	test('a bad field is reported with its whole path', () => {
		const value = setAt(rawExample(), ['scalability', 'sharding', 'key'], '');
		expect(issuesOf(answersSchema, value)).toEqual(
			only(['scalability', 'sharding', 'key'], 'Shard key is required'),
		);
	});
});
