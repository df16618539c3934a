import {z} from './zod.js';
import {line} from '../steps/fields.js';
import {requirementsSchema} from '../steps/requirements.js';
import {capSchema} from '../steps/cap.js';
import {consistencySchema} from '../steps/consistency.js';
import {architectureSchema} from '../steps/architecture.js';
import {scalabilitySchema} from '../steps/scalability.js';
// Registers the step modules beside the schemas below, so that whatever loads the schemas
// has the steps too (see schemas.ts).
import '../steps/index.js';
import {taskPriorities} from './priorities.js';
import {registerAnswerSchemas} from './schemas.js';

// The slug helpers live apart so that step modules can use them without importing this
// file, which imports every step module.
export {deriveSlug, slugOf} from './slug.js';
export {taskPriorities};

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// An id is a full UUID, a hex prefix, or another token Engram accepts; never a flag.
const idPattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]*$/;

export const taskSchema = z.union(
	[
		z.strictObject({
			id: line('Task id').regex(idPattern, {
				error: 'Task id must be letters, digits and dashes, not starting with a dash',
			}),
		}),
		z.strictObject({
			title: line('Task title'),
			priority: z
				.enum(taskPriorities, {error: 'Priority must be low, medium, high or critical'})
				.optional(),
		}),
	],
	{error: 'Task must have an id, or a title to create one'},
);

export const answersSchema = z.strictObject({
	system: line('System name'),
	slug: z
		.string()
		.regex(slugPattern, {
			error: 'Slug must be lower-case letters and digits joined by single dashes',
		})
		.max(64, {error: 'Slug is longer than 64 characters'})
		.optional(),
	task: taskSchema.optional(),
	agent: line('Agent')
		.regex(/^[^-\s][^\s,]*$/, {error: 'Agent must be one word, not starting with a dash'})
		.default('default'),
	requirements: requirementsSchema,
	cap: capSchema,
	consistency: consistencySchema,
	architecture: architectureSchema,
	scalability: scalabilitySchema,
});

/** The part of the answers the Start screen asks for; the rest of a draft is left alone. */
export const startSchema = z.object({
	system: answersSchema.shape.system,
	slug: answersSchema.shape.slug,
	task: answersSchema.shape.task,
	agent: answersSchema.shape.agent,
});

registerAnswerSchemas({
	answers: answersSchema,
	start: startSchema,
	inputJsonSchema: () => z.toJSONSchema(answersSchema, {io: 'input', unrepresentable: 'any'}),
});

/** What a caller writes: optional parts may be missing. */
export type AnswersInput = z.input<typeof answersSchema>;
/** A whole design after validation. */
export type Answers = z.output<typeof answersSchema>;
export type TaskRef = z.output<typeof taskSchema>;

// Messages for shapes of the answers model that no field names itself: a whole section
// missing or of the wrong type, a key the model does not know.
z.config({
	customError: issue => {
		if (issue.code === 'invalid_type') {
			if (issue.input === undefined) return 'is missing';
			const got = Array.isArray(issue.input)
				? 'a list'
				: issue.input === null
					? 'null'
					: typeof issue.input;
			return `must be ${issue.expected === 'object' ? 'a mapping' : issue.expected}, not ${got}`;
		}

		if (issue.code === 'unrecognized_keys') {
			const keys = issue.keys.map(key => `"${key}"`).join(', ');
			return `unknown field${issue.keys.length === 1 ? '' : 's'} ${keys}`;
		}

		return undefined;
	},
});
