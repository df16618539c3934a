// A JSON Schema checker for the keywords `engram-design schema` prints, so that tests can
// check a document against the printed schema without another dependency. A keyword it does
// not know is an error, so a schema that grows one cannot pass unchecked.

type Schema = Record<string, unknown>;

const annotations = new Set(['$schema', 'title', 'description', 'default']);
const checked = new Set([
	'type',
	'properties',
	'required',
	'additionalProperties',
	'items',
	'minItems',
	'maxItems',
	'minLength',
	'maxLength',
	'pattern',
	'enum',
	'minimum',
	'maximum',
	'anyOf',
]);

function typeOf(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'array';
	if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
	return typeof value;
}

function typeMatches(value: unknown, type: string): boolean {
	const actual = typeOf(value);
	return actual === type || (type === 'number' && actual === 'integer');
}

/** The places where `value` breaks `schema`, as `path: reason`; empty when it conforms. */
export function jsonSchemaErrors(schema: Schema, value: unknown, at = '$'): string[] {
	const errors: string[] = [];
	for (const keyword of Object.keys(schema)) {
		if (!annotations.has(keyword) && !checked.has(keyword)) {
			throw new Error(`${at}: the checker does not know the keyword ${keyword}`);
		}
	}
	const fail = (reason: string) => errors.push(`${at}: ${reason}`);
	const {type} = schema;
	if (typeof type === 'string' && !typeMatches(value, type)) {
		fail(`expected ${type}, got ${typeOf(value)}`);
		return errors;
	}
	if (Array.isArray(schema['enum']) && !schema['enum'].includes(value)) fail('not one of enum');
	if (Array.isArray(schema['anyOf'])) {
		const options = schema['anyOf'] as Schema[];
		if (!options.some(option => jsonSchemaErrors(option, value, at).length === 0)) {
			fail('matches none of anyOf');
		}
	}
	if (typeof value === 'string') {
		const length = [...value].length;
		if (typeof schema['minLength'] === 'number' && length < schema['minLength']) fail('too short');
		if (typeof schema['maxLength'] === 'number' && length > schema['maxLength']) fail('too long');
		if (typeof schema['pattern'] === 'string' && !new RegExp(schema['pattern'], 'u').test(value)) {
			fail('does not match pattern');
		}
	}
	if (typeof value === 'number') {
		if (typeof schema['minimum'] === 'number' && value < schema['minimum']) fail('below minimum');
		if (typeof schema['maximum'] === 'number' && value > schema['maximum']) fail('above maximum');
	}
	if (Array.isArray(value)) {
		if (typeof schema['minItems'] === 'number' && value.length < schema['minItems']) {
			fail('too few items');
		}
		if (typeof schema['maxItems'] === 'number' && value.length > schema['maxItems']) {
			fail('too many items');
		}
		const items = schema['items'];
		if (items && typeof items === 'object') {
			for (const [index, item] of value.entries()) {
				errors.push(...jsonSchemaErrors(items as Schema, item, `${at}[${index}]`));
			}
		}
	}
	if (typeOf(value) === 'object') {
		const object = value as Record<string, unknown>;
		const properties = (schema['properties'] ?? {}) as Record<string, Schema>;
		for (const key of (schema['required'] ?? []) as string[]) {
			if (!(key in object)) fail(`${key} is required`);
		}
		const extra = schema['additionalProperties'];
		for (const [key, item] of Object.entries(object)) {
			const property =
				properties[key] ?? (typeof extra === 'object' ? (extra as Schema) : undefined);
			if (property) errors.push(...jsonSchemaErrors(property, item, `${at}.${key}`));
			else if (extra === false) fail(`${key} is not allowed`);
		}
	}
	return errors;
}
