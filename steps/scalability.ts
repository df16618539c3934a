import {z} from '../src/zod.js';
import type {Answers} from '../src/answers.js';
import {estimate, type Estimate, type EstimateInput} from '../src/estimate.js';
import {buildEntity} from './entity.js';
import {amount, confidence, group, line, list} from './fields.js';
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

/** The figures of a back-of-envelope capacity estimate (`src/estimate.ts`). */
export const estimateSchema = group('Capacity estimate', {
	users: amount('Users now'),
	requestsPerUserPerDay: amount('Requests per user per day'),
	peakFactor: amount('Peak factor').min(1, {error: 'Peak factor must be at least 1'}),
	perInstanceRps: amount('Requests per second per instance'),
	growthPerYear: amount('Yearly growth', true),
	storagePerUserMb: amount('Storage per user'),
	costPerInstanceMonth: amount('Instance cost per month'),
	storageCostPerGbMonth: amount('Storage cost per GB-month'),
	costTarget: amount('Cost target per user per month').optional(),
});

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
	estimate: estimateSchema.optional(),
	confidence: confidence(),
});

export type Scalability = z.infer<typeof scalabilitySchema>;

const noteColumns = [
	{key: 'component', label: 'Component'},
	{key: 'note', label: 'Note'},
] as const;

// The estimate's figures, each a number; the estimate as a whole is optional.
const estimateFields: readonly FieldSpec[] = [
	{kind: 'number', path: ['estimate', 'users'], label: 'Estimate: users now', hint: '100000'},
	{
		kind: 'number',
		path: ['estimate', 'requestsPerUserPerDay'],
		label: 'Estimate: requests per user per day',
		hint: '500',
	},
	{
		kind: 'number',
		path: ['estimate', 'peakFactor'],
		label: 'Estimate: peak over average load',
		hint: '3 (at least 1)',
	},
	{
		kind: 'number',
		path: ['estimate', 'perInstanceRps'],
		label: 'Estimate: requests/sec one instance serves',
		hint: '1000',
	},
	{
		kind: 'number',
		path: ['estimate', 'growthPerYear'],
		label: 'Estimate: yearly user growth',
		hint: '0.5 is +50% a year, 2 is 3x a year, 0 none',
	},
	{
		kind: 'number',
		path: ['estimate', 'storagePerUserMb'],
		label: 'Estimate: storage per user (MB)',
		hint: '10',
	},
	{
		kind: 'number',
		path: ['estimate', 'costPerInstanceMonth'],
		label: 'Estimate: cost of one instance per month ($)',
		hint: '150',
	},
	{
		kind: 'number',
		path: ['estimate', 'storageCostPerGbMonth'],
		label: 'Estimate: storage cost per GB-month ($)',
		hint: '0.023',
	},
	{
		kind: 'number',
		path: ['estimate', 'costTarget'],
		label: 'Estimate: cost target per user per month ($)',
		optional: true,
		hint: '0.01',
	},
];

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
	...estimateFields,
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

// Made on first use: the first number format loads some 6 MB of locale data, and most
// sessions never draw an estimate.
let formats:
	{readonly integer: Intl.NumberFormat; readonly fraction: Intl.NumberFormat} | undefined;

/** A figure as people write it: whole numbers in full, others to four significant digits. */
function figure(value: number): string {
	if (!Number.isFinite(value)) return 'too large to compute';
	formats ??= {
		integer: new Intl.NumberFormat('en-US', {maximumFractionDigits: 0}),
		fraction: new Intl.NumberFormat('en-US', {maximumSignificantDigits: 4}),
	};
	return Number.isInteger(value) ? formats.integer.format(value) : formats.fraction.format(value);
}

/** A two-column markdown table. */
function table(heading: string, rows: readonly (readonly [string, string])[]): string {
	const body = rows.map(([name, value]) => `| ${name} | ${value} |`);
	return [`| ${heading} | Value |`, '| --- | --- |', ...body].join('\n');
}

/** Growth as a percentage and a multiple: "+200% a year (3x)". */
function growthText(growth: number): string {
	return growth === 0 ? 'none' : `+${figure(growth * 100)}% a year (${figure(1 + growth)}x)`;
}

/** The figures and what they come to, as two tables. */
function estimateText(input: EstimateInput, result: Estimate): string {
	const money = (value: number) => `$${figure(value)}`;
	const target = input.costTarget;
	const inputs: [string, string][] = [
		['Users now', figure(input.users)],
		['Requests per user per day', figure(input.requestsPerUserPerDay)],
		['Peak over average load', `${figure(input.peakFactor)}x`],
		['Requests/sec one instance serves', figure(input.perInstanceRps)],
		['User growth', growthText(input.growthPerYear)],
		['Storage per user', `${figure(input.storagePerUserMb)} MB`],
		['Cost of one instance', `${money(input.costPerInstanceMonth)}/month`],
		['Storage cost', `${money(input.storageCostPerGbMonth)}/GB-month`],
	];
	if (target !== undefined) inputs.push(['Cost target', `${money(target)}/user/month`]);
	const results: [string, string][] = [
		['Average load', `${figure(result.averageRps)} requests/sec`],
		['Peak load', `${figure(result.peakRps)} requests/sec`],
		['Instances now', figure(result.instances.now)],
		['Instances at 10x users', figure(result.instances.at10x)],
		['Instances at 100x users', figure(result.instances.at100x)],
		['Storage now', `${figure(result.storageGb.now)} GB`],
		['Storage after 1 year', `${figure(result.storageGb.afterOneYear)} GB`],
		['Storage after 3 years', `${figure(result.storageGb.afterThreeYears)} GB`],
		['Monthly cost now', money(result.monthlyCost)],
		['Cost per user per month', money(result.costPerUserMonth)],
	];
	if (target !== undefined) {
		const verdict = result.withinTarget
			? `Yes: ${money(result.costPerUserMonth)} is within ${money(target)}`
			: `No: ${money(result.costPerUserMonth)} is above ${money(target)}`;
		results.push(['Within the cost target', verdict]);
	}

	return `${table('Figure', inputs)}\n\n${table('Result', results)}`;
}

/**
 * The capacity estimate, when its figures are complete and valid. A live preview fills
 * unanswered numbers with 0, which this leaves out rather than divide by.
 */
function capacityText(plan: Scalability): string | undefined {
	const parsed = estimateSchema.safeParse(plan.estimate);
	return parsed.success ? estimateText(parsed.data, estimate(parsed.data)) : undefined;
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
			section(2, 'Capacity Estimate', capacityText(plan)),
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
