import {z} from 'zod';
import {confidence, line, list, text} from './fields.js';

const component = z.strictObject({
	name: line('Component name'),
	role: line('Role'),
	technology: line('Technology'),
	scaling: line('Scaling'),
	data: line('Data').optional(),
	failover: line('Failover').optional(),
	dependencies: line('Dependencies').optional(),
	/** Further bullet lines, such as Replication or Backup. */
	details: list(
		z.strictObject({label: line('Detail label'), value: line('Detail value')}),
		'Details',
	).optional(),
});

const connection = z.strictObject({
	from: line('From'),
	to: line('To'),
	label: line('Label').optional(),
});

export const architectureSchema = z
	.strictObject({
		components: list(component, 'Components', 1),
		connections: list(connection, 'Connections'),
		diagram: text('Diagram').optional(),
		dataFlows: list(
			z.strictObject({
				name: line('Data flow name'),
				steps: list(line('Step'), 'Data flow steps', 1),
			}),
			'Data flows',
		),
		failureModes: list(
			z.strictObject({
				component: line('Failing component'),
				impact: line('Impact'),
				mitigation: line('Mitigation'),
			}),
			'Failure modes',
		),
		confidence: confidence().optional(),
	})
	.superRefine((value, ctx) => {
		const seen = new Set<string>();
		for (const [index, item] of value.components.entries()) {
			const key = item.name.toLowerCase();
			if (seen.has(key)) {
				ctx.addIssue({
					code: 'custom',
					path: ['components', index, 'name'],
					message: `Component name "${item.name}" is used twice`,
				});
			}

			seen.add(key);
		}

		for (const [index, item] of value.connections.entries()) {
			for (const end of ['from', 'to'] as const) {
				if (!seen.has(item[end].toLowerCase())) {
					ctx.addIssue({
						code: 'custom',
						path: ['connections', index, end],
						message: `Connection ${end} "${item[end]}" is not a component name`,
					});
				}
			}
		}
	});

export type Architecture = z.infer<typeof architectureSchema>;
export type Component = Architecture['components'][number];
export type Connection = Architecture['connections'][number];
