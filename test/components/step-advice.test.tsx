import {expect, test} from 'vitest';
import {adviceLines} from '../../components/StepAdvice.js';
import {rawExample} from '../unit/example.js';

test('the CAP step suggests a choice from the requirements, with a reason', () => {
	const lines = adviceLines('cap', rawExample());
	expect(lines[0]).toBe('Suggested from the requirements: AP');
	expect(lines).toHaveLength(2);
});

test('the scalability step shows the estimate once its figures are in', () => {
	const draft = rawExample() as Record<string, any>;
	expect(
		adviceLines('scalability', {
			...draft,
			scalability: {...draft.scalability, estimate: undefined},
		}),
	).toEqual([]);
	draft.scalability.estimate = {
		users: '100000',
		requestsPerUserPerDay: '864',
		peakFactor: '2',
		perInstanceRps: '500',
		growthPerYear: '1',
		storagePerUserMb: '10',
		costPerInstanceMonth: '100',
		storageCostPerGbMonth: '0.1',
		costTarget: '0.01',
	};
	// 100,000 × 864 / 86,400 = 1,000 req/s on average, 2,000 at peak: 4 instances of 500,
	// 40 at 10x, 400 at 100x. Storage 100,000 × 10 MB = 1,000 GB now, doubling each year:
	// 2,000 GB after one, 8,000 GB after three. Cost: 4 × $100 + 1,000 GB × $0.1 = $500 a
	// month, $0.005 per user, under the $0.01 target.
	expect(adviceLines('scalability', draft)).toEqual([
		'Instances now 4, at 10x 40, at 100x 400 · peak 2,000 req/s',
		'Storage 2,000 GB after 1 year, 8,000 GB after 3 · $0.005/user/month (within target)',
	]);
});

test('other steps have no advice', () => {
	expect(adviceLines('requirements', rawExample())).toEqual([]);
});
