import {z} from '../src/zod.js';
import type {Answers} from '../src/answers.js';
import {buildEntity} from './entity.js';
import {confidence, group, line, list, text} from './fields.js';
import {blocks, bullets, confidenceLine, inline, labelled, pair, section} from './markdown.js';
import type {FieldSpec, StepModule} from './types.js';

export const consistencySchema = group('Consistency model', {
	primary: line('Primary model'),
	perDataType: list(
		group('Per-data-type model', {
			data: line('Data type'),
			model: line('Model'),
			reason: line('Reason'),
		}),
		'Per-data-type models',
		1,
	),
	rationale: text('Rationale'),
	implementation: list(
		group('Implementation', {
			model: line('Model'),
			mechanism: line('Mechanism'),
		}),
		'Implementation',
		1,
	),
	conflictResolution: list(line('Conflict rule'), 'Conflict resolution'),
	userExperience: list(line('User experience note'), 'User experience'),
	confidence: confidence(),
});

export type Consistency = z.infer<typeof consistencySchema>;

type ConsistencyModel = {
	readonly heading: string;
	readonly guarantee: string;
	readonly cost: string;
	/** Whether a model named in the answers is this one. */
	readonly matches: RegExp;
};

/** The five models the step weighs, as fixed reference text. */
export const consistencyModels: readonly ConsistencyModel[] = [
	{
		heading: 'Strong Consistency (Linearizability)',
		guarantee: 'All reads see the most recent write',
		cost: 'Higher latency, lower availability',
		// "Strong eventual consistency" is the CRDT guarantee, an eventual model.
		matches: /\bstrong\b(?!\s+eventual)|\blineariz/i,
	},
	{
		heading: 'Sequential Consistency',
		guarantee: 'All processes see operations in same order',
		cost: 'Moderate latency, moderate availability',
		matches: /\bsequential/i,
	},
	{
		heading: 'Causal Consistency',
		guarantee: 'Related operations seen in order, unrelated can differ',
		cost: 'Lower latency than sequential, complex implementation',
		matches: /\bcausal/i,
	},
	{
		heading: 'Eventual Consistency',
		guarantee: 'All replicas converge eventually (no time bound)',
		cost: 'Lowest latency, highest availability, conflict resolution needed',
		matches: /\beventual/i,
	},
	{
		heading: 'Read-Your-Writes Consistency',
		guarantee: 'After write, same client always reads that value',
		cost: 'Moderate latency, session affinity needed',
		matches: /\bread[- ]your[- ]writes?\b|\bread[- ]my[- ]writes?\b/i,
	},
];

const fields: readonly FieldSpec[] = [
	{
		kind: 'line',
		path: ['primary'],
		label: 'Primary model',
		hint: 'Eventual consistency',
	},
	{
		kind: 'table',
		path: ['perDataType'],
		label: 'Per data type',
		columns: [
			{key: 'data', label: 'Data'},
			{key: 'model', label: 'Model'},
			{key: 'reason', label: 'Reason'},
		],
	},
	{kind: 'text', path: ['rationale'], label: 'Rationale', hint: 'Why this mix of models fits'},
	{
		kind: 'table',
		path: ['implementation'],
		label: 'Implementation',
		columns: [
			{key: 'model', label: 'Model or data'},
			{key: 'mechanism', label: 'Mechanism'},
		],
	},
	{
		kind: 'list',
		path: ['conflictResolution'],
		label: 'Conflict resolution',
		hint: 'How conflicts are handled',
	},
	{kind: 'list', path: ['userExperience'], label: 'User experience'},
	{kind: 'number', path: ['confidence'], label: 'Confidence', hint: '0.0 to 1.0'},
];

/** The data types whose model is this one, as the model's "Use for" line. */
function useFor(model: ConsistencyModel, perDataType: Consistency['perDataType']): string {
	const data = perDataType.filter(row => model.matches.test(row.model)).map(row => row.data);
	return data.length > 0 ? data.join('; ') : 'Not used in this design.';
}

/** The consistency model as the seed's "Consistency Models Evaluated" reasoning. */
function markdown(answers: Answers): string {
	const consistency = answers.consistency;
	const evaluated = consistencyModels.map(model =>
		section(
			3,
			model.heading,
			blocks(
				inline('Guarantee', model.guarantee),
				inline('Cost', model.cost),
				inline('Use for', useFor(model, consistency.perDataType)),
			),
		),
	);
	const perDataType = consistency.perDataType.map(row =>
		pair(row.data, `${row.model} - ${row.reason}`),
	);
	const implementation = consistency.implementation.map(row => pair(row.model, row.mechanism));
	return (
		blocks(
			section(2, 'Consistency Models Evaluated', blocks(...evaluated)),
			section(
				2,
				'Selected Model',
				blocks(
					inline('Primary Model', consistency.primary),
					labelled('Per-Data-Type', bullets(perDataType)),
					labelled('Rationale', consistency.rationale),
					labelled('Implementation', bullets(implementation)),
					labelled('Conflict Resolution', bullets(consistency.conflictResolution)),
					labelled('User Experience', bullets(consistency.userExperience)),
					confidenceLine(consistency.confidence),
				),
			),
		) ?? ''
	);
}

// The entity this step stores (title prefix and tag).
const entityShape = {
	step: 'consistency',
	kind: 'reasoning',
	titlePrefix: 'Consistency Model',
	tag: 'consistency',
} as const;

export const consistencyStep: StepModule = {
	id: 'consistency',
	label: 'Consistency model',
	summary: 'Which consistency guarantee each kind of data gets, and how conflicts are resolved.',
	schema: consistencySchema,
	fields,
	markdown,
	entity: answers =>
		buildEntity(entityShape, answers, markdown(answers), answers.consistency.confidence),
};
