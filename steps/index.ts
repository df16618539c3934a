import {architectureStep} from './architecture.js';
import {capStep} from './cap.js';
import {consistencyStep} from './consistency.js';
import {requirementsStep} from './requirements.js';
import {estimateSchema, scalabilityStep} from './scalability.js';
import type {StepId, StepModule} from './types.js';
import {registerSteps} from '../src/schemas.js';

/** The design steps in the order the wizard asks them and the seed stores them. */
export const steps: readonly StepModule[] = [
	requirementsStep,
	capStep,
	consistencyStep,
	architectureStep,
	scalabilityStep,
];

registerSteps(steps, {estimate: estimateSchema});

/** The step with this id; every `StepId` has one. */
export function stepById(id: StepId): StepModule {
	const step = steps.find(candidate => candidate.id === id);
	if (!step) throw new Error(`No design step has the id "${id}"`);
	return step;
}

/** Whether a string, such as one read from a draft, is a step id. */
export function isStepId(value: string): value is StepId {
	return steps.some(step => step.id === value);
}
