// The design steps and the answers schemas, reached without importing them. They are built
// with zod when their modules are evaluated, which is a large share of start-up, and the
// Start screen needs neither to draw its first frame. steps/index.ts and answers.ts register
// what they define here when they are evaluated, by any importer or by loadSchemas();
// answers.ts imports steps/index.ts, so the answers schemas never come without the steps.
import type {z} from 'zod';
import type {estimateSchema} from '../steps/scalability.js';
import type {StepModule} from '../steps/types.js';

/** The design steps in order; empty until steps/index.ts has been evaluated. */
export const steps: readonly StepModule[] = [];

/** What answers.ts registers. */
export type AnswerSchemas = {
	readonly answers: z.ZodType;
	/** The part of the answers the Start screen asks for. */
	readonly start: z.ZodType;
	/** The answers model as JSON Schema, for what a draft holds as typed. */
	readonly inputJsonSchema: () => unknown;
};

let answerSchemas: AnswerSchemas | undefined;
let loading: Promise<void> | undefined;

/** Schemas of parts of a step that a screen checks on their own. */
export type PartSchemas = {
	/** The capacity estimate of the scalability step. */
	readonly estimate: typeof estimateSchema;
};

let partSchemas: PartSchemas | undefined;

/** Called by steps/index.ts with the steps it defines and the parts screens check alone. */
export function registerSteps(list: readonly StepModule[], parts: PartSchemas): void {
	(steps as StepModule[]).splice(0, steps.length, ...list);
	partSchemas = parts;
}

/** The parts' schemas; the steps must have been loaded. */
export function partSchemasNow(): PartSchemas {
	if (!partSchemas) throw new Error('the steps are not loaded yet');
	return partSchemas;
}

/** Called by answers.ts with its schemas. */
export function registerAnswerSchemas(schemas: AnswerSchemas): void {
	answerSchemas = schemas;
}

/** Whether the steps and the answers schemas are there. */
export function schemasLoaded(): boolean {
	return answerSchemas !== undefined && steps.length > 0;
}

/** Loads the steps and the answers schemas, once. */
export function loadSchemas(): Promise<void> {
	loading ??= import('./answers.js').then(() => undefined);
	return loading;
}

/** The answers schemas; loadSchemas() must have finished. */
export function answerSchemasNow(): AnswerSchemas {
	if (!answerSchemas) throw new Error('the answers schemas are not loaded yet');
	return answerSchemas;
}
