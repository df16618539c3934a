import {z} from './zod.js';
import {answersSchema} from './answers.js';

/** The answers model as JSON Schema, generated from the zod schemas. */
export function answersJsonSchema(): Record<string, unknown> {
	const {$schema, ...rest} = z.toJSONSchema(answersSchema, {io: 'input', unrepresentable: 'any'});
	return {$schema, title: 'engram-design answers', ...rest};
}
