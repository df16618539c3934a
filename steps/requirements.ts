import {z} from '../src/zod.js';
import type {Answers} from '../src/answers.js';
import {buildEntity} from './entity.js';
import {group, line, list, text} from './fields.js';
import {blocks, bullets, labelled, numbered, pair, section} from './markdown.js';
import type {FieldSpec, StepModule} from './types.js';

export const requirementsSchema = group('Requirements', {
	functional: list(
		group('Functional requirement', {
			name: line('Requirement name'),
			description: line('Requirement description'),
		}),
		'Functional requirements',
		1,
	),
	performance: group('Performance', {
		latency: line('Latency'),
		throughput: line('Throughput'),
	}),
	scalability: group('Scalability', {
		users: line('Users'),
		data: line('Data'),
		growth: line('Growth'),
	}),
	availability: group('Availability', {
		uptime: line('Uptime'),
		rto: line('RTO'),
		rpo: line('RPO'),
	}),
	consistency: group('Consistency', {
		strong: text('Strong consistency'),
		eventual: text('Eventual consistency'),
		/** Needs for other models, such as causal consistency for edit operations. */
		additional: list(
			group('Other consistency need', {
				model: line('Consistency model'),
				scope: line('What needs it'),
			}),
			'Other consistency needs',
		).optional(),
	}),
	other: group('Other requirements', {
		cost: text('Cost'),
		compliance: text('Compliance'),
		operability: text('Operability'),
	}),
});

export type Requirements = z.infer<typeof requirementsSchema>;

const fields: readonly FieldSpec[] = [
	{
		kind: 'table',
		path: ['functional'],
		label: 'What the system must do',
		columns: [
			{key: 'name', label: 'Requirement'},
			{key: 'description', label: 'Description'},
		],
	},
	{kind: 'line', path: ['performance', 'latency'], label: 'Latency', hint: 'p99 < 100ms'},
	{
		kind: 'line',
		path: ['performance', 'throughput'],
		label: 'Throughput',
		hint: '10K requests/sec',
	},
	{
		kind: 'line',
		path: ['scalability', 'users'],
		label: 'Users',
		hint: '1M daily active users',
	},
	{kind: 'line', path: ['scalability', 'data'], label: 'Data', hint: '100TB stored data'},
	{kind: 'line', path: ['scalability', 'growth'], label: 'Growth', hint: '2x per year'},
	{kind: 'line', path: ['availability', 'uptime'], label: 'Uptime', hint: '99.9% SLA'},
	{kind: 'line', path: ['availability', 'rto'], label: 'RTO', hint: 'Recovery time objective'},
	{kind: 'line', path: ['availability', 'rpo'], label: 'RPO', hint: 'Recovery point objective'},
	{
		kind: 'text',
		path: ['consistency', 'strong'],
		label: 'Strong consistency',
		hint: 'What must never be stale',
	},
	{
		kind: 'text',
		path: ['consistency', 'eventual'],
		label: 'Eventual consistency',
		hint: 'What may be stale for a while',
	},
	{
		kind: 'table',
		path: ['consistency', 'additional'],
		label: 'Other consistency needs',
		hint: 'Causal consistency: Edit operations',
		columns: [
			{key: 'model', label: 'Model'},
			{key: 'scope', label: 'What needs it'},
		],
	},
	{kind: 'text', path: ['other', 'cost'], label: 'Cost', hint: 'Budget constraints'},
	{kind: 'text', path: ['other', 'compliance'], label: 'Compliance', hint: 'GDPR, HIPAA…'},
	{
		kind: 'text',
		path: ['other', 'operability'],
		label: 'Operability',
		hint: 'Team skills, on-call requirements',
	},
];

/** The requirements as the seed's "System Requirements" document. */
function markdown(answers: Answers): string {
	const {functional, performance, scalability, availability, consistency, other} =
		answers.requirements;
	const wanted = functional.map(item => `${item.name} - ${item.description}`);
	return (
		blocks(
			section(2, 'Functional Requirements', labelled('What the system must do', numbered(wanted))),
			section(
				2,
				'Non-Functional Requirements',
				blocks(
					labelled(
						'Performance',
						bullets([
							pair('Latency', performance.latency),
							pair('Throughput', performance.throughput),
						]),
					),
					labelled(
						'Scalability',
						bullets([
							pair('Users', scalability.users),
							pair('Data', scalability.data),
							pair('Growth', scalability.growth),
						]),
					),
					labelled(
						'Availability',
						bullets([
							pair('Uptime', availability.uptime),
							pair('RTO', availability.rto),
							pair('RPO', availability.rpo),
						]),
					),
					labelled(
						'Consistency',
						bullets([
							pair('Strong consistency', consistency.strong),
							pair('Eventual consistency', consistency.eventual),
							...(consistency.additional ?? []).map(need => pair(need.model, need.scope)),
						]),
					),
					labelled(
						'Other',
						bullets([
							pair('Cost', other.cost),
							pair('Compliance', other.compliance),
							pair('Operability', other.operability),
						]),
					),
				),
			),
		) ?? ''
	);
}

// The entity this step stores (title prefix and tag).
const entityShape = {
	step: 'requirements',
	kind: 'context',
	titlePrefix: 'System Requirements',
	tag: 'requirements',
} as const;

export const requirementsStep: StepModule = {
	id: 'requirements',
	label: 'Requirements',
	summary: 'What the system must do, and how fast, large, available and consistent it must be.',
	schema: requirementsSchema,
	fields,
	markdown,
	entity: answers => buildEntity(entityShape, answers, markdown(answers)),
};
