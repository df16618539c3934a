import {z} from '../src/zod.js';
import type {Answers} from '../src/answers.js';
import {buildEntity} from './entity.js';
import {block, confidence, group, line, list} from './fields.js';
import {
	blocks,
	bullets,
	confidenceLine,
	fenced,
	inline,
	labelled,
	numbered,
	pair,
	section,
} from './markdown.js';
import {mermaidSource, renderDiagram} from './mermaid.js';
import type {FieldSpec, StepModule} from './types.js';

/** Widest line of the art drawn into stored markdown, in columns. */
export const STORED_DIAGRAM_WIDTH = 76;

// "Label: value", the label short and free of colons.
const DETAIL = /^([^:]{1,60}):\s*(\S.*)$/;

const component = group('Component', {
	name: line('Component name'),
	role: line('Role'),
	technology: line('Technology'),
	scaling: line('Scaling'),
	data: line('Data').optional(),
	failover: line('Failover').optional(),
	dependencies: line('Dependencies').optional(),
	/** Further bullet lines, such as "Replication: Single-leader with 2 read replicas". */
	details: list(
		line('Detail').refine(value => DETAIL.test(value), {
			error: 'Detail must read "Label: value"',
		}),
		'Details',
	).optional(),
});

const connection = group('Connection', {
	from: line('From'),
	to: line('To'),
	label: line('Label').optional(),
});

export const architectureSchema = group('Architecture', {
	components: list(component, 'Components', 1),
	connections: list(connection, 'Connections'),
	diagram: block('Diagram').optional(),
	dataFlows: list(
		group('Data flow', {
			name: line('Data flow name'),
			steps: list(line('Step'), 'Data flow steps', 1),
		}),
		'Data flows',
	),
	failureModes: list(
		group('Failure mode', {
			component: line('Failing component'),
			impact: line('Impact'),
			mitigation: line('Mitigation'),
		}),
		'Failure modes',
	),
	confidence: confidence().optional(),
}).superRefine((value, ctx) => {
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

const fields: readonly FieldSpec[] = [
	{
		kind: 'table',
		path: ['components'],
		label: 'Components',
		columns: [
			{key: 'name', label: 'Name'},
			{key: 'role', label: 'Role'},
			{key: 'technology', label: 'Technology'},
			{key: 'scaling', label: 'Scaling'},
			{key: 'data', label: 'Data', optional: true},
			{key: 'failover', label: 'Failover', optional: true},
			{key: 'dependencies', label: 'Dependencies', optional: true},
			{key: 'details', label: 'Other details (Label: value)', optional: true, list: true},
		],
	},
	{
		kind: 'table',
		path: ['connections'],
		label: 'Connections',
		hint: 'From and To are component names',
		columns: [
			{key: 'from', label: 'From'},
			{key: 'to', label: 'To'},
			{key: 'label', label: 'Label', optional: true},
		],
	},
	{
		kind: 'text',
		path: ['diagram'],
		label: 'Hand-drawn diagram',
		optional: true,
		hint: 'Leave empty to draw one from the components and connections',
	},
	{
		kind: 'table',
		path: ['dataFlows'],
		label: 'Data flows',
		columns: [
			{key: 'name', label: 'Name'},
			{key: 'steps', label: 'Steps', list: true},
		],
	},
	{
		kind: 'table',
		path: ['failureModes'],
		label: 'Failure modes',
		columns: [
			{key: 'component', label: 'What fails'},
			{key: 'impact', label: 'Impact'},
			{key: 'mitigation', label: 'Mitigation'},
		],
	},
	{
		kind: 'number',
		path: ['confidence'],
		label: 'Confidence',
		optional: true,
		hint: '0.0 to 1.0',
	},
];

/** A component's heading and its bullets, fixed ones first, then its details. */
function componentText(item: Component): string {
	const details = (item.details ?? []).map(detail => {
		const match = DETAIL.exec(detail);
		return match ? inline(match[1]!.trim(), match[2]) : detail;
	});
	const lines = bullets([
		inline('Role', item.role),
		inline('Technology', item.technology),
		inline('Scaling', item.scaling),
		inline('Data', item.data),
		inline('Failover', item.failover),
		inline('Dependencies', item.dependencies),
		...details,
	]);
	return `### ${item.name}\n${lines ?? ''}`;
}

/** The architecture as the seed's "High-Level Architecture" document. */
function markdown(answers: Answers): string {
	const architecture = answers.architecture;
	// A hand-drawn diagram wins; else the art is drawn from the components and stored with
	// the Mermaid source it was drawn from.
	const diagram = architecture.diagram
		? fenced(architecture.diagram)
		: blocks(
				fenced(renderDiagram(architecture, {maxWidth: STORED_DIAGRAM_WIDTH})),
				fenced(mermaidSource(architecture), 'mermaid'),
			);
	const flows = architecture.dataFlows.map(flow => labelled(flow.name, numbered(flow.steps)));
	const failures = architecture.failureModes.map(mode =>
		labelled(
			mode.component,
			bullets([pair('Impact', mode.impact), pair('Mitigation', mode.mitigation)]),
		),
	);
	return (
		blocks(
			section(2, 'High-Level Architecture', diagram),
			section(2, 'Components', blocks(...architecture.components.map(componentText))),
			section(2, 'Data Flow', blocks(...flows)),
			section(2, 'Failure Modes', blocks(...failures)),
			confidenceLine(architecture.confidence),
		) ?? ''
	);
}

// The entity this step stores (title prefix and tag).
const entityShape = {
	step: 'architecture',
	kind: 'context',
	titlePrefix: 'Architecture Diagram',
	tag: 'architecture',
} as const;

export const architectureStep: StepModule = {
	id: 'architecture',
	label: 'Architecture',
	summary: 'The components, how they connect, how data flows between them, and how each one fails.',
	schema: architectureSchema,
	fields,
	markdown,
	entity: answers => buildEntity(entityShape, answers, markdown(answers)),
};
