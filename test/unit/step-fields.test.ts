import {describe, expect, test} from 'vitest';
import {z} from 'zod';
import {isStepId, stepById, steps} from '../../steps/index.js';
import type {FieldSpec, StepModule} from '../../steps/types.js';
import {example, rawExample, setAt, variant} from './example.js';

type Key = string | number;

/** The path of every value inside `value` that is not an object or a list. */
function leaves(value: unknown, path: readonly Key[] = []): Key[][] {
	if (Array.isArray(value)) return value.flatMap((item, index) => leaves(item, [...path, index]));
	if (value !== null && typeof value === 'object') {
		return Object.entries(value).flatMap(([key, item]) => leaves(item, [...path, key]));
	}

	return [[...path]];
}

/** Whether `path` starts with `prefix`. */
function startsWith(path: readonly Key[], prefix: readonly Key[]): boolean {
	return prefix.every((key, index) => path[index] === key);
}

/** Whether some field of the step edits the value at `path`. */
function covers(fields: readonly FieldSpec[], path: readonly Key[]): boolean {
	return fields.some(field => {
		if (!startsWith(path, field.path)) return false;
		const rest = path.slice(field.path.length);
		if (field.kind === 'list') return rest.length === 1 && typeof rest[0] === 'number';
		if (field.kind !== 'table') return rest.length === 0;
		const column = field.columns.find(item => item.key === rest[1]);
		if (typeof rest[0] !== 'number' || !column) return false;
		return column.list ? rest.length === 3 && typeof rest[2] === 'number' : rest.length === 2;
	});
}

type JsonSchema = {
	readonly type?: string;
	readonly enum?: readonly string[];
	readonly properties?: Readonly<Record<string, JsonSchema>>;
	readonly required?: readonly string[];
	readonly items?: JsonSchema;
};

/** A place in a step's answers that a field must edit, read from the step's JSON Schema. */
type Slot = {
	readonly path: string;
	readonly kind: 'string' | 'number' | 'choice' | 'list' | 'table';
	readonly optional: boolean;
	readonly options?: readonly string[];
	readonly columns?: readonly {key: string; optional: boolean; list: boolean}[];
};

/** Every slot of an object schema, groups flattened into dotted paths. */
function slots(schema: JsonSchema, prefix = ''): Slot[] {
	return Object.entries(schema.properties ?? {}).flatMap(([key, child]): Slot[] => {
		const path = prefix + key;
		const optional = !(schema.required ?? []).includes(key);
		if (child.type === 'object') return slots(child, `${path}.`);
		if (child.type === 'number') return [{path, kind: 'number', optional}];
		if (child.enum) return [{path, kind: 'choice', optional, options: child.enum}];
		if (child.type === 'string') return [{path, kind: 'string', optional}];
		const items = child.items;
		if (child.type === 'array' && items?.type === 'string') return [{path, kind: 'list', optional}];
		if (child.type === 'array' && items?.type === 'object') {
			const columns = Object.entries(items.properties ?? {}).map(([column, cell]) => ({
				key: column,
				optional: !(items.required ?? []).includes(column),
				list: cell.type === 'array',
			}));
			return [{path, kind: 'table', optional, columns}];
		}

		throw new Error(`No field kind fits ${path}: ${JSON.stringify(child)}`);
	});
}

/** The slot a field fills, in the same terms. */
function slotOf(field: FieldSpec): Slot {
	const path = field.path.join('.');
	switch (field.kind) {
		case 'line':
		case 'text':
			return {path, kind: 'string', optional: field.optional ?? false};
		case 'number':
			return {path, kind: 'number', optional: field.optional ?? false};
		case 'choice':
			return {path, kind: 'choice', optional: false, options: field.options};
		case 'list':
			return {path, kind: 'list', optional: false};
		case 'table':
			return {
				path,
				kind: 'table',
				optional: false,
				columns: field.columns.map(column => ({
					key: column.key,
					optional: column.optional ?? false,
					list: column.list ?? false,
				})),
			};
	}
}

/** The example with the optional values it lacks filled in, so every leaf is present. */
function fullExample() {
	return variant(example(), copy => {
		copy.architecture.components[3]!.dependencies = 'PostgreSQL';
		copy.scalability.limitations = ['Single-leader database: 2 TB before sharding'];
	});
}

describe.each(steps)('$id fields', (step: StepModule) => {
	test('reach every value of the example', () => {
		const answers = fullExample()[step.id];
		const missed = leaves(answers).filter(path => !covers(step.fields, path));
		expect(missed).toEqual([]);
	});

	test('match the schema: every place, kind, optional flag, choice and column', () => {
		const schema = z.toJSONSchema(step.schema, {io: 'input'}) as JsonSchema;
		const byPath = (a: Slot, b: Slot) => a.path.localeCompare(b.path);
		// Lists may be empty, so a list or table field needs no optional flag of its own.
		const listLike = (slot: Slot) => slot.kind === 'list' || slot.kind === 'table';
		const expected = slots(schema)
			.map(slot => (listLike(slot) ? {...slot, optional: false} : slot))
			.sort(byPath);
		expect(step.fields.map(slotOf).sort(byPath)).toEqual(expected);
	});

	test('ask for one line exactly where the schema refuses a line break', () => {
		const valid = rawExample()[step.id];
		const places = step.fields.flatMap((field): {kind: string; path: readonly Key[]}[] => {
			const {kind, path} = field;
			if (kind === 'line' || kind === 'text') return [{kind, path}];
			if (kind === 'list') return [{kind, path: [...path, 0]}];
			if (kind !== 'table') return [];
			return field.columns.map(column => ({
				kind,
				path: column.list ? [...path, 0, column.key, 0] : [...path, 0, column.key],
			}));
		});
		for (const {kind, path} of places) {
			const result = step.schema.safeParse(setAt(valid, path, 'first\nsecond'));
			const refused =
				!result.success &&
				result.error.issues.some(
					issue =>
						issue.path.join('.') === path.join('.') && issue.message.endsWith('must be one line'),
				);
			expect({path, refused}).toEqual({path, refused: kind !== 'text'});
		}
	});

	test('have unique paths and labels', () => {
		const paths = step.fields.map(field => field.path.join('.'));
		expect(new Set(paths).size).toBe(paths.length);
		const labels = step.fields.map(field => field.label);
		expect(new Set(labels).size).toBe(labels.length);
	});
});

describe('step list', () => {
	test('holds the five steps in the order of the seed', () => {
		expect(steps.map(step => step.id)).toEqual([
			'requirements',
			'cap',
			'consistency',
			'architecture',
			'scalability',
		]);
	});

	test('finds a step by id', () => {
		for (const step of steps) expect(stepById(step.id)).toBe(step);
	});

	test('tells step ids from other strings', () => {
		expect(isStepId('cap')).toBe(true);
		expect(isStepId('review')).toBe(false);
	});

	test('each step has a label and a one-sentence summary', () => {
		for (const step of steps) {
			expect(step.label).not.toBe('');
			expect(step.summary).toMatch(/^[A-Z][^\n]*\.$/);
		}
	});

	test('each schema validates its part of the example', () => {
		const answers = rawExample();
		for (const step of steps) expect(step.schema.safeParse(answers[step.id]).success).toBe(true);
	});
});
