import {z} from 'zod';
import {confidence, line, list, text} from './fields.js';

export const capChoices = ['CP', 'AP', 'CA'] as const;

export const capSchema = z.strictObject({
	partitions: text('Network partitions'),
	choice: z.enum(capChoices, {error: 'Choice must be CP, AP or CA'}),
	rationale: text('Rationale'),
	behavior: list(line('Behaviour'), 'Behaviour during a partition', 1),
	tradeoffs: list(line('Trade-off'), 'Trade-offs'),
	implications: list(line('Implication'), 'Implications', 1),
	alternatives: list(
		z.strictObject({
			option: line('Alternative option'),
			reason: text('Alternative reason'),
		}),
		'Alternatives considered',
	),
	confidence: confidence(),
});

export type Cap = z.infer<typeof capSchema>;
