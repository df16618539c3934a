import {expect, test} from 'vitest';
import {answersSchema} from '../../src/answers.js';
import {answersJsonSchema} from '../../src/schema.js';
import {jsonSchemaErrors} from '../helpers/json-schema.js';
import {rawExample, variant} from './example.js';

// What `engram-design schema` prints, read back as any consumer would.
const printed = () => JSON.parse(JSON.stringify(answersJsonSchema())) as Record<string, any>;

test('the schema is JSON Schema 2020-12 with no made-up $id', () => {
	const schema = printed();
	expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
	expect(schema).not.toHaveProperty('$id');
	expect(schema['type']).toBe('object');
	expect(schema['additionalProperties']).toBe(false);
});

test('the schema has every top-level field of the model; required lists the required ones', () => {
	const schema = printed();
	expect(Object.keys(schema['properties'])).toEqual(Object.keys(answersSchema.shape));
	expect(schema['required']).toEqual([
		'system',
		'requirements',
		'cap',
		'consistency',
		'architecture',
		'scalability',
	]);
});

test('the example answers file conforms to the schema', () => {
	expect(jsonSchemaErrors(printed(), rawExample())).toEqual([]);
});

test.each([
	['a section left out', (raw: any) => void delete raw.cap, '$: cap is required'],
	['an unknown field', (raw: any) => void (raw.colour = 'blue'), '$: colour is not allowed'],
	['a confidence above 1', (raw: any) => void (raw.cap.confidence = 1.5), '$.cap.confidence'],
	['a CAP choice not offered', (raw: any) => void (raw.cap.choice = 'CAP'), '$.cap.choice'],
	['a number as the system', (raw: any) => void (raw.system = 42), '$.system: expected string'],
	['a bad slug', (raw: any) => void (raw.slug = 'Not A Slug'), '$.slug: does not match'],
	[
		'no functional requirement',
		(raw: any) => void (raw.requirements.functional = []),
		'$.requirements.functional: too few items',
	],
])('the schema and the model both refuse %s', (_name, change, where) => {
	const raw = variant(rawExample(), change);
	expect(answersSchema.safeParse(raw).success).toBe(false);
	expect(jsonSchemaErrors(printed(), raw).join('\n')).toContain(where);
});
