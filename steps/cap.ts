import {z} from '../src/zod.js';
import type {Answers} from '../src/answers.js';
import {buildEntity} from './entity.js';
import {choice, confidence, group, line, list, text} from './fields.js';
import {blocks, bullets, confidenceLine, inline, labelled, section} from './markdown.js';
import type {FieldSpec, StepModule} from './types.js';

export const capChoices = ['CP', 'AP', 'CA'] as const;
export type CapChoice = (typeof capChoices)[number];

export const capSchema = group('CAP analysis', {
	partitions: text('Network partitions'),
	choice: choice('Choice', capChoices),
	rationale: text('Rationale'),
	behavior: list(line('Behaviour'), 'Behaviour during a partition', 1),
	tradeoffs: list(line('Trade-off'), 'Trade-offs'),
	implications: list(line('Implication'), 'Implications', 1),
	alternatives: list(
		group('Alternative', {
			option: line('Alternative option'),
			reason: line('Alternative reason'),
		}),
		'Alternatives considered',
	),
	confidence: confidence(),
});

export type Cap = z.infer<typeof capSchema>;

type CapOption = {
	readonly choice: CapChoice;
	readonly name: string;
	readonly behavior: readonly string[];
	readonly useWhen: readonly string[];
	readonly examples: string;
};

/** The three options the analysis weighs, as fixed reference text. */
export const capOptions: readonly CapOption[] = [
	{
		choice: 'CP',
		name: 'Consistency + Partition Tolerance',
		behavior: [
			'System becomes unavailable during partition',
			'Returns errors or blocks until partition heals',
			'All nodes see same data (strong consistency)',
		],
		useWhen: [
			'Correctness is critical (banking, inventory)',
			'Better to fail than show stale data',
			'System can tolerate downtime',
		],
		examples: 'Etcd, ZooKeeper, HBase',
	},
	{
		choice: 'AP',
		name: 'Availability + Partition Tolerance',
		behavior: [
			'System remains available during partition',
			'Nodes may return stale data',
			'Eventually converges when partition heals',
		],
		useWhen: [
			'Uptime is critical (social media, analytics)',
			'Stale data is acceptable temporarily',
			"User experience degrades but doesn't break",
		],
		examples: 'Cassandra, DynamoDB, Riak',
	},
	{
		choice: 'CA',
		name: 'Consistency + Availability',
		behavior: [
			'System cannot tolerate network partitions',
			'Only works in single datacenter or reliable network',
			'Both consistency and availability when network works',
		],
		useWhen: [
			'Single datacenter deployment',
			'Network is highly reliable',
			'Not planning geographic distribution',
		],
		examples: 'PostgreSQL (single-leader), MySQL (single-leader)',
	},
];

const fields: readonly FieldSpec[] = [
	{
		kind: 'text',
		path: ['partitions'],
		label: 'Network partitions',
		hint: 'Will partitions occur, and why?',
	},
	{kind: 'choice', path: ['choice'], label: 'Choice', options: capChoices},
	{kind: 'text', path: ['rationale'], label: 'Rationale', hint: 'Why this choice fits'},
	{kind: 'list', path: ['behavior'], label: 'Behavior during partition'},
	{kind: 'list', path: ['tradeoffs'], label: 'Trade-offs'},
	{
		kind: 'list',
		path: ['implications'],
		label: 'Implications',
		hint: 'User experience, monitoring, failure modes to handle',
	},
	{
		kind: 'table',
		path: ['alternatives'],
		label: 'Alternatives considered',
		columns: [
			{key: 'option', label: 'Option'},
			{key: 'reason', label: 'Why not'},
		],
	},
	{kind: 'number', path: ['confidence'], label: 'Confidence', hint: '0.0 to 1.0'},
];

/** One option of the reference text, marked when the design chose it. */
function optionText(option: CapOption, index: number, answers: Answers): string | undefined {
	const chosen = option.choice === answers.cap.choice;
	return section(
		3,
		`Option ${index + 1}: ${option.name} (${option.choice})`,
		blocks(
			chosen && `**Chosen for ${answers.system}.**`,
			labelled('Behavior', bullets(option.behavior)),
			labelled('Use When', bullets(option.useWhen)),
			inline('Examples', option.examples),
		),
	);
}

/** The alternatives: one as a paragraph, as the seed writes it; more as a list. */
function alternativesText(alternatives: Cap['alternatives']): string | undefined {
	const lines = alternatives.map(item => `${item.option}: ${item.reason}`);
	if (lines.length === 1) return labelled('Alternative Considered', lines[0]);
	return labelled('Alternatives Considered', bullets(lines));
}

/** The CAP analysis as the seed's "CAP Theorem Trade-offs" reasoning. */
function markdown(answers: Answers): string {
	const cap = answers.cap;
	const chosen = capOptions.find(option => option.choice === cap.choice);
	return (
		blocks(
			section(
				2,
				'CAP Theorem Trade-offs',
				blocks(
					labelled('Network Partitions', cap.partitions),
					'**If Partitions Occur, Choose Two:**',
					...capOptions.map((option, index) => optionText(option, index, answers)),
				),
			),
			section(
				2,
				`Recommendation for ${answers.system}`,
				blocks(
					inline('Choice', chosen ? `${chosen.choice} (${chosen.name})` : cap.choice),
					labelled('Rationale', cap.rationale),
					labelled('Behavior During Partition', bullets(cap.behavior)),
					labelled('Trade-off', bullets(cap.tradeoffs)),
					labelled('Implications', bullets(cap.implications)),
					alternativesText(cap.alternatives),
					confidenceLine(cap.confidence),
				),
			),
		) ?? ''
	);
}

// The entity this step stores (title prefix and tag).
const entityShape = {
	step: 'cap',
	kind: 'reasoning',
	titlePrefix: 'CAP Analysis',
	tag: 'cap-theorem',
} as const;

export const capStep: StepModule = {
	id: 'cap',
	label: 'CAP analysis',
	summary:
		'Which two of consistency, availability and partition tolerance the system keeps ' +
		'when the network splits.',
	schema: capSchema,
	fields,
	markdown,
	entity: answers => buildEntity(entityShape, answers, markdown(answers), answers.cap.confidence),
};
