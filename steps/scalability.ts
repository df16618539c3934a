import {z} from 'zod';
import type {Answers} from '../src/answers.js';
import {buildEntity} from './entity.js';
import {confidence, group, line, list} from './fields.js';
import {
	blocks,
	bullets,
	confidenceLine,
	inline,
	labelled,
	numbered,
	pair,
	section,
} from './markdown.js';
import type {FieldSpec, StepModule} from './types.js';

const notes = (label: string) =>
	list(group('Scaling note', {component: line('Component'), note: line('Note')}), label);

export const scalabilitySchema = group('Scalability strategy', {
	horizontal: notes('Horizontal scaling'),
	notHorizontal: notes('Not horizontally scalable'),
	vertical: list(line('Vertical scaling item'), 'Vertical scaling'),
	limitations: list(line('Limitation'), 'Limitations').optional(),
	bottlenecks: group('Bottlenecks', {
		current: list(line('Current bottleneck'), 'Current bottlenecks', 1),
		at10x: list(line('Bottleneck at 10x'), 'Bottlenecks at 10x'),
		at100x: list(line('Bottleneck at 100x'), 'Bottlenecks at 100x'),
	}),
	sharding: group('Sharding', {
		when: line('When to shard'),
		key: line('Shard key'),
		reason: line('Shard key reason'),
		count: line('Shard count'),
		crossShard: list(
			group('Cross-shard query', {query: line('Query'), strategy: line('Strategy')}),
			'Cross-shard queries',
		),
	}),
	caching: group('Caching', {
		layers: list(line('Cache layer'), 'Cache layers'),
		invalidation: list(line('Invalidation rule'), 'Cache invalidation'),
	}),
	cost: group('Cost', {
		items: list(
			group('Cost item', {
				item: line('Cost item'),
				perUserMonth: line('Cost per user per month'),
			}),
			'Cost items',
		),
		target: line('Cost target').optional(),
		total: line('Total cost').optional(),
		opportunities: list(line('Optimisation'), 'Optimisation opportunities').optional(),
	}),
	monitoring: group('Monitoring', {
		metrics: list(line('Metric'), 'Key metrics', 1),
		alerts: list(line('Alert'), 'Alerts', 1),
	}),
	confidence: confidence(),
});

export type Scalability = z.infer<typeof scalabilitySchema>;

const noteColumns = [
	{key: 'component', label: 'Component'},
	{key: 'note', label: 'Note'},
] as const;

const fields: readonly FieldSpec[] = [
	{
		kind: 'table',
		path: ['horizontal'],
		label: 'What scales horizontally',
		columns: noteColumns,
	},
	{
		kind: 'table',
		path: ['notHorizontal'],
		label: 'What does NOT scale horizontally',
		columns: noteColumns,
	},
	{
		kind: 'list',
		path: ['vertical'],
		label: 'Vertical scaling: temporary solution for',
		hint: 'Database: Upgrade to larger instance until sharding needed',
	},
	{kind: 'list', path: ['limitations'], label: 'Vertical scaling limitations'},
	{kind: 'list', path: ['bottlenecks', 'current'], label: 'Bottlenecks now'},
	{kind: 'list', path: ['bottlenecks', 'at10x'], label: 'Bottlenecks at 10x scale'},
	{kind: 'list', path: ['bottlenecks', 'at100x'], label: 'Bottlenecks at 100x scale'},
	{
		kind: 'line',
		path: ['sharding', 'when'],
		label: 'When to shard',
		hint: 'At N TB or M writes/sec',
	},
	{kind: 'line', path: ['sharding', 'key'], label: 'Shard key', hint: 'user_id'},
	{kind: 'line', path: ['sharding', 'reason'], label: 'Why this shard key'},
	{
		kind: 'line',
		path: ['sharding', 'count'],
		label: 'Shard count',
		hint: '16 initially, can split later',
	},
	{
		kind: 'table',
		path: ['sharding', 'crossShard'],
		label: 'Cross-shard queries',
		columns: [
			{key: 'query', label: 'Query'},
			{key: 'strategy', label: 'Strategy'},
		],
	},
	{kind: 'list', path: ['caching', 'layers'], label: 'Cache layers'},
	{kind: 'list', path: ['caching', 'invalidation'], label: 'Cache invalidation'},
	{
		kind: 'table',
		path: ['cost', 'items'],
		label: 'Current cost per user',
		columns: [
			{key: 'item', label: 'Item'},
			{key: 'perUserMonth', label: 'Per user per month'},
		],
	},
	{kind: 'line', path: ['cost', 'total'], label: 'Total cost per user', optional: true},
	{kind: 'line', path: ['cost', 'target'], label: 'Cost target', optional: true},
	{kind: 'list', path: ['cost', 'opportunities'], label: 'Optimization opportunities'},
	{kind: 'list', path: ['monitoring', 'metrics'], label: 'Key metrics'},
	{kind: 'list', path: ['monitoring', 'alerts'], label: 'Alerts'},
	{kind: 'number', path: ['confidence'], label: 'Confidence', hint: '0.0 to 1.0'},
];

/** The first number in a cost ("$0.006/user/mo" → 0.006), or undefined. */
function amountOf(cost: string): number | undefined {
	const match = /\d[\d,]*(?:\.\d+)?|\.\d+/.exec(cost);
	return match ? Number(match[0].replaceAll(',', '')) : undefined;
}

/** Where the total stands against the target: "below $0.01 target". */
function againstTarget(total: string, target: string): string {
	const have = amountOf(total);
	const want = amountOf(target);
	if (have === undefined || want === undefined) return `target ${target}`;
	if (have < want) return `below ${target} target`;
	if (have > want) return `above ${target} target`;
	return `at the ${target} target`;
}

/** The cost lines: each item, then the total measured against the target. */
function costText(cost: Scalability['cost']): string | undefined {
	let total: string | undefined;
	if (cost.total && cost.target) {
		total = `**Total: ${cost.total}** (${againstTarget(cost.total, cost.target)})`;
	} else if (cost.total) {
		total = `**Total: ${cost.total}**`;
	} else if (cost.target) {
		total = pair('Target', cost.target);
	}

	return bullets([...cost.items.map(row => pair(row.item, row.perUserMonth)), total]);
}

/** The scalability strategy as the seed's "Scaling Dimensions" reasoning. */
function markdown(answers: Answers): string {
	const plan = answers.scalability;
	const notesText = (rows: Scalability['horizontal']) =>
		bullets(rows.map(row => pair(row.component, row.note)));
	return (
		blocks(
			section(
				2,
				'Scaling Dimensions',
				blocks(
					section(
						3,
						'Horizontal Scaling (Scale Out)',
						blocks(
							labelled('What scales horizontally', notesText(plan.horizontal)),
							labelled('What does NOT scale horizontally', notesText(plan.notHorizontal)),
						),
					),
					section(
						3,
						'Vertical Scaling (Scale Up)',
						blocks(
							labelled('Temporary solution for', bullets(plan.vertical)),
							labelled('Limitations', bullets(plan.limitations ?? [])),
						),
					),
				),
			),
			section(
				2,
				'Bottlenecks',
				blocks(
					labelled('Current', numbered(plan.bottlenecks.current)),
					labelled('At 10x scale', numbered(plan.bottlenecks.at10x)),
					labelled('At 100x scale', numbered(plan.bottlenecks.at100x)),
				),
			),
			section(
				2,
				'Sharding Strategy',
				blocks(
					inline('When to shard', plan.sharding.when),
					inline('Shard key', plan.sharding.key),
					inline('Reason', plan.sharding.reason),
					inline('Shard count', plan.sharding.count),
					labelled(
						'Cross-shard queries',
						bullets(plan.sharding.crossShard.map(row => pair(row.query, row.strategy))),
					),
				),
			),
			section(
				2,
				'Caching Strategy',
				blocks(
					labelled('Cache layers', numbered(plan.caching.layers)),
					labelled('Cache invalidation', bullets(plan.caching.invalidation)),
				),
			),
			section(
				2,
				'Cost Optimization',
				blocks(
					labelled('Current cost per user', costText(plan.cost)),
					labelled('Optimization opportunities', bullets(plan.cost.opportunities ?? [])),
				),
			),
			section(
				2,
				'Monitoring',
				blocks(
					labelled('Key metrics', bullets(plan.monitoring.metrics)),
					labelled('Alerts', bullets(plan.monitoring.alerts)),
				),
			),
			confidenceLine(plan.confidence),
		) ?? ''
	);
}

// The entity this step stores (title prefix and tag).
const entityShape = {
	step: 'scalability',
	kind: 'reasoning',
	titlePrefix: 'Scalability Strategy',
	tag: 'scalability',
} as const;

export const scalabilityStep: StepModule = {
	id: 'scalability',
	label: 'Scalability strategy',
	summary:
		'How the system grows: what scales out, where it breaks at 10x and 100x, sharding, ' +
		'caching, cost and monitoring.',
	schema: scalabilitySchema,
	fields,
	markdown,
	entity: answers =>
		buildEntity(entityShape, answers, markdown(answers), answers.scalability.confidence),
};
