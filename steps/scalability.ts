import {z} from 'zod';
import {confidence, line, list} from './fields.js';

const note = (label: string) =>
	list(
		z.strictObject({component: line('Component'), note: line('Note')}),
		label,
	);

export const scalabilitySchema = z.strictObject({
	horizontal: note('Horizontal scaling'),
	notHorizontal: note('Not horizontally scalable'),
	vertical: list(line('Vertical scaling item'), 'Vertical scaling'),
	limitations: list(line('Limitation'), 'Limitations').optional(),
	bottlenecks: z.strictObject({
		current: list(line('Current bottleneck'), 'Current bottlenecks', 1),
		at10x: list(line('Bottleneck at 10x'), 'Bottlenecks at 10x'),
		at100x: list(line('Bottleneck at 100x'), 'Bottlenecks at 100x'),
	}),
	sharding: z.strictObject({
		when: line('When to shard'),
		key: line('Shard key'),
		reason: line('Shard key reason'),
		count: line('Shard count'),
		crossShard: list(
			z.strictObject({query: line('Query'), strategy: line('Strategy')}),
			'Cross-shard queries',
		),
	}),
	caching: z.strictObject({
		layers: list(line('Cache layer'), 'Cache layers'),
		invalidation: list(line('Invalidation rule'), 'Cache invalidation'),
	}),
	cost: z.strictObject({
		items: list(
			z.strictObject({item: line('Cost item'), perUserMonth: line('Cost per user per month')}),
			'Cost items',
		),
		target: line('Cost target').optional(),
		total: line('Total cost').optional(),
		opportunities: list(line('Optimisation'), 'Optimisation opportunities').optional(),
	}),
	monitoring: z.strictObject({
		metrics: list(line('Metric'), 'Key metrics', 1),
		alerts: list(line('Alert'), 'Alerts', 1),
	}),
	confidence: confidence(),
});

export type Scalability = z.infer<typeof scalabilitySchema>;
