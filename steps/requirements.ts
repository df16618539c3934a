import {z} from 'zod';
import {line, list, text} from './fields.js';

export const requirementsSchema = z.strictObject({
	functional: list(
		z.strictObject({
			name: line('Requirement name'),
			description: text('Requirement description'),
		}),
		'Functional requirements',
		1,
	),
	performance: z.strictObject({
		latency: line('Latency'),
		throughput: line('Throughput'),
	}),
	scalability: z.strictObject({
		users: line('Users'),
		data: line('Data'),
		growth: line('Growth'),
	}),
	availability: z.strictObject({
		uptime: line('Uptime'),
		rto: line('RTO'),
		rpo: line('RPO'),
	}),
	consistency: z.strictObject({
		strong: text('Strong consistency'),
		eventual: text('Eventual consistency'),
	}),
	other: z.strictObject({
		cost: text('Cost'),
		compliance: text('Compliance'),
		operability: text('Operability'),
	}),
});

export type Requirements = z.infer<typeof requirementsSchema>;
