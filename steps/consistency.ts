import {z} from 'zod';
import {confidence, line, list, text} from './fields.js';

export const consistencySchema = z.strictObject({
	primary: line('Primary model'),
	perDataType: list(
		z.strictObject({
			data: line('Data type'),
			model: line('Model'),
			reason: line('Reason'),
		}),
		'Per-data-type models',
		1,
	),
	rationale: text('Rationale'),
	implementation: list(
		z.strictObject({
			model: line('Model'),
			mechanism: line('Mechanism'),
		}),
		'Implementation',
		1,
	),
	conflictResolution: list(line('Conflict rule'), 'Conflict resolution'),
	userExperience: list(line('User experience note'), 'User experience'),
	confidence: confidence(),
});

export type Consistency = z.infer<typeof consistencySchema>;
