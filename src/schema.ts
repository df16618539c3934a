import {z} from 'zod';
import {answersSchema} from './answers.js';

/** The answers model as JSON Schema, generated from the zod schemas. */
export function answersJsonSchema(): Record<string, unknown> {
	return {
		$id: 'https://engram-design/answers.schema.json',
		title: 'engram-design answers',
		...z.toJSONSchema(answersSchema, {io: 'input', unrepresentable: 'any'}),
	};
}
