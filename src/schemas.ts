// The design steps and the answers schemas, reached without importing them. They are built
// with zod when their modules are evaluated, which is a large share of start-up, and the
// Start screen needs neither to draw its first frame. steps/index.ts and answers.ts register
// what they define here when they are evaluated: imported by anything, or by loadSchemas().
import type {z} from 'zod';
import type {StepModule} from '../steps/types.js';

/** The design steps in order; empty until steps/index.ts has been evaluated. */
export const steps: readonly StepModule[] = [];

let answerSchemas: {readonly answers: z.ZodType; readonly start: z.ZodType} | undefined;
let loading: Promise<void> | undefined;

/** Called by steps/index.ts with the steps it defines. */
export function registerSteps(list: readonly StepModule[]): void {
	(steps as StepModule[]).splice(0, steps.length, ...list);
}

/** Called by answers.ts with the whole answers schema and the Start screen's part of it. */
export function registerAnswerSchemas(schemas: {readonly answers: z.ZodType; readonly start: z.ZodType}): void {
	answerSchemas = schemas;
}

/** Whether the steps and the answers schemas are there. */
export function schemasLoaded(): boolean {
	return answerSchemas !== undefined && steps.length > 0;
}

/** Loads the steps and the answers schemas, once. */
export function loadSchemas(): Promise<void> {
	loading ??= Promise.all([import('../steps/index.js'), import('./answers.js')]).then(() => undefined);
	return loading;
}

/** The answers schemas; loadSchemas() must have finished. */
export function answerSchemasNow(): {readonly answers: z.ZodType; readonly start: z.ZodType} {
	if (!answerSchemas) throw new Error('the answers schemas are not loaded yet');
	return answerSchemas;
}
