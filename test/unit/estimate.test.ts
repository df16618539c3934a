import {describe, expect, test} from 'vitest';
import {estimate, wholeUnits, type EstimateInput} from '../../src/estimate.js';
import {normalizeDraft, shapeOf, validatePart} from '../../src/draft.js';
import {estimateSchema, scalabilitySchema, scalabilityStep} from '../../steps/scalability.js';
import {example, rawExample, variant} from './example.js';

// 100,000 users sending 864 requests a day each, peaks at 3x, growing 3x a year.
const collab: EstimateInput = {
	users: 100_000,
	requestsPerUserPerDay: 864,
	peakFactor: 3,
	perInstanceRps: 500,
	growthPerYear: 2,
	storagePerUserMb: 10,
	costPerInstanceMonth: 200,
	storageCostPerGbMonth: 0.023,
	costTarget: 0.01,
};

describe('estimate', () => {
	test('works out load, instances, storage and cost (target missed)', () => {
		const result = estimate(collab);
		// average: 100,000 × 864 / 86,400 s = 1,000 requests/sec; peak: 1,000 × 3 = 3,000
		expect(result.averageRps).toBe(1000);
		expect(result.peakRps).toBe(3000);
		// instances: 3,000 / 500 = 6; at 10x 30,000 / 500 = 60; at 100x 300,000 / 500 = 600
		expect(result.instances).toEqual({now: 6, at10x: 60, at100x: 600});
		// storage: 100,000 × 10 MB = 1,000 GB; × 3 after a year = 3,000; × 27 after three = 27,000
		expect(result.storageGb).toEqual({now: 1000, afterOneYear: 3000, afterThreeYears: 27_000});
		// cost: 6 × $200 + 1,000 GB × $0.023 = $1,223 a month; / 100,000 users = $0.01223
		expect(result.monthlyCost).toBeCloseTo(1223, 9);
		expect(result.costPerUserMonth).toBeCloseTo(0.01223, 12);
		// $0.01223 > $0.01
		expect(result.withinTarget).toBe(false);
	});

	test('rounds instances up (target met)', () => {
		const result = estimate({
			users: 1_000_000,
			requestsPerUserPerDay: 100,
			peakFactor: 2,
			perInstanceRps: 1000,
			growthPerYear: 0.5,
			storagePerUserMb: 1,
			costPerInstanceMonth: 100,
			storageCostPerGbMonth: 0.02,
			costTarget: 0.001,
		});
		// average: 1,000,000 × 100 / 86,400 = 1,157.407…; peak × 2 = 2,314.814…
		expect(result.averageRps).toBeCloseTo(1157.407407, 5);
		expect(result.peakRps).toBeCloseTo(2314.814815, 5);
		// 2.3148 → 3; 23.148 → 24; 231.48 → 232
		expect(result.instances).toEqual({now: 3, at10x: 24, at100x: 232});
		// 1,000,000 × 1 MB = 1,000 GB; × 1.5 = 1,500; × 1.5³ = 3.375 → 3,375
		expect(result.storageGb).toEqual({now: 1000, afterOneYear: 1500, afterThreeYears: 3375});
		// 3 × $100 + 1,000 × $0.02 = $320; / 1,000,000 = $0.00032 ≤ $0.001
		expect(result.monthlyCost).toBeCloseTo(320, 9);
		expect(result.costPerUserMonth).toBeCloseTo(0.00032, 12);
		expect(result.withinTarget).toBe(true);
	});

	test('keeps storage flat with zero growth', () => {
		const result = estimate({...collab, growthPerYear: 0});
		// 100,000 × 10 MB = 1,000 GB in every year
		expect(result.storageGb).toEqual({now: 1000, afterOneYear: 1000, afterThreeYears: 1000});
	});

	test('needs at least one instance however light the load', () => {
		// 10 × 1 / 86,400 = 0.000116 requests/sec, far below one instance even at 100x
		const result = estimate({...collab, users: 10, requestsPerUserPerDay: 1});
		expect(result.instances).toEqual({now: 1, at10x: 1, at100x: 1});
	});

	test('does not add an instance for a rounding error', () => {
		// 86,400 × 0.1 / 86,400 = 0.1 rps; × 3 = 0.30000000000000004 in floating point;
		// / 0.1 = 3.0000000000000004, which is 3 instances, not 4
		const tiny = {users: 86_400, requestsPerUserPerDay: 0.1, perInstanceRps: 0.1};
		const result = estimate({...collab, ...tiny});
		expect(result.instances).toEqual({now: 3, at10x: 30, at100x: 300});
	});

	test('a cost exactly at the target is within it', () => {
		// 1,000 users × 1 MB = 1 GB × $1 = $1, plus 1 instance × $9 = $10 a month;
		// / 1,000 users = $0.01, the target itself
		const result = estimate({
			...collab,
			users: 1000,
			requestsPerUserPerDay: 1,
			storagePerUserMb: 1,
			storageCostPerGbMonth: 1,
			costPerInstanceMonth: 9,
			costTarget: 0.01,
		});
		expect(result.monthlyCost).toBe(10);
		expect(result.withinTarget).toBe(true);
	});

	test('says nothing of a target that was not given', () => {
		const {costTarget: _, ...input} = collab;
		expect(estimate(input)).not.toHaveProperty('withinTarget');
	});

	test('stays finite with every figure at the largest the schema allows', () => {
		const most = 1e12;
		const result = estimate({
			users: most,
			requestsPerUserPerDay: most,
			peakFactor: most,
			perInstanceRps: 1e-12,
			growthPerYear: most,
			storagePerUserMb: most,
			costPerInstanceMonth: most,
			storageCostPerGbMonth: most,
			costTarget: most,
		});
		const numbers = [
			result.averageRps,
			result.peakRps,
			...Object.values(result.instances),
			...Object.values(result.storageGb),
			result.monthlyCost,
			result.costPerUserMonth,
		];
		expect(numbers.every(Number.isFinite)).toBe(true);
		// 1e12 × 1e12 / 86,400 × 1e12 / 1e-12 ≈ 1.157e43 instances, and 100 times that at 100x
		expect(result.instances.at100x / result.instances.now).toBeCloseTo(100, 9);
		expect(result.withinTarget).toBe(false);
	});
});

describe('wholeUnits', () => {
	test.each([
		[0, 1],
		[0.2, 1],
		[1, 1],
		[1.0000001, 2],
		[3.0000000000000004, 3],
		[2.5, 3],
		[1e20 + 1, 1e20],
	])('%d needs %d', (amount, units) => {
		expect(wholeUnits(amount)).toBe(units);
	});
});

describe('estimate schema', () => {
	const messages = (value: unknown) =>
		estimateSchema
			.safeParse(value)
			.error?.issues.map(issue => [issue.path.join('.'), issue.message]);

	test('accepts the figures, with or without a target', () => {
		expect(messages(collab)).toBeUndefined();
		const {costTarget: _, ...input} = collab;
		expect(messages(input)).toBeUndefined();
	});

	test.each([
		['users', 0, 'Users now must be more than 0'],
		['users', -5, 'Users now must be more than 0'],
		['users', Number.POSITIVE_INFINITY, 'Users now must be a finite number'],
		['users', Number.NaN, 'Users now must be a finite number'],
		['users', '100K', 'Users now must be a number'],
		['users', undefined, 'Users now is required'],
		['users', 2e12, 'Users now must be at most 1,000,000,000,000'],
		['requestsPerUserPerDay', 0, 'Requests per user per day must be more than 0'],
		['peakFactor', 0.5, 'Peak factor must be at least 1'],
		['perInstanceRps', 0, 'Requests per second per instance must be more than 0'],
		['growthPerYear', -0.1, 'Yearly growth must be 0 or more'],
		['storagePerUserMb', 0, 'Storage per user must be more than 0'],
		['costPerInstanceMonth', -1, 'Instance cost per month must be more than 0'],
		['storageCostPerGbMonth', 0, 'Storage cost per GB-month must be more than 0'],
		['costTarget', 0, 'Cost target per user per month must be more than 0'],
	])('%s of %s: %s', (key, value, message) => {
		expect(messages({...collab, [key]: value})).toEqual([[key, message]]);
	});

	test('accepts zero growth', () => {
		expect(messages({...collab, growthPerYear: 0})).toBeUndefined();
	});

	test('refuses fields it does not know', () => {
		expect(messages({...collab, servers: 3})).toEqual([
			['', 'Capacity estimate has unknown field "servers"'],
		]);
	});

	test('is optional in the scalability schema, and checked there when given', () => {
		const plan = rawExample()['scalability'] as Record<string, unknown>;
		expect(scalabilitySchema.safeParse(plan).success).toBe(true);
		expect(scalabilitySchema.safeParse({...plan, estimate: collab}).success).toBe(true);
		const result = scalabilitySchema.safeParse({...plan, estimate: {...collab, users: 0}});
		expect(result.error?.issues.map(issue => issue.path.join('.'))).toEqual(['estimate.users']);
	});
});

describe('capacity estimate markdown', () => {
	const withEstimate = (input: EstimateInput) =>
		variant(example(), copy => {
			copy.scalability.estimate = input;
		});

	test('tables the figures and the results before the bottlenecks', () => {
		const markdown = scalabilityStep.markdown(withEstimate(collab));
		expect(markdown).toContain(
			[
				'## Capacity Estimate',
				'',
				'| Figure | Value |',
				'| --- | --- |',
				'| Users now | 100,000 |',
				'| Requests per user per day | 864 |',
				'| Peak over average load | 3x |',
				'| Requests/sec one instance serves | 500 |',
				'| User growth | +200% a year (3x) |',
				'| Storage per user | 10 MB |',
				'| Cost of one instance | $200/month |',
				'| Storage cost | $0.023/GB-month |',
				'| Cost target | $0.01/user/month |',
				'',
				'| Result | Value |',
				'| --- | --- |',
				'| Average load | 1,000 requests/sec |',
				'| Peak load | 3,000 requests/sec |',
				'| Instances now | 6 |',
				'| Instances at 10x users | 60 |',
				'| Instances at 100x users | 600 |',
				'| Storage now | 1,000 GB |',
				'| Storage after 1 year | 3,000 GB |',
				'| Storage after 3 years | 27,000 GB |',
				'| Monthly cost now | $1,223 |',
				'| Cost per user per month | $0.01223 |',
				'| Within the cost target | No: $0.01223 is above $0.01 |',
				'',
				'## Bottlenecks',
			].join('\n'),
		);
	});

	test('says when the cost is within the target, and leaves the row out with no target', () => {
		const cheap = {...collab, costPerInstanceMonth: 100, storageCostPerGbMonth: 0.02};
		// 6 × $100 + 1,000 × $0.02 = $620; / 100,000 = $0.0062
		expect(scalabilityStep.markdown(withEstimate(cheap))).toContain(
			'| Within the cost target | Yes: $0.0062 is within $0.01 |',
		);
		const {costTarget: _, ...untargeted} = collab;
		const markdown = scalabilityStep.markdown(withEstimate(untargeted));
		expect(markdown).not.toContain('Cost target');
		expect(markdown).not.toContain('Within the cost target');
	});

	test('writes zero growth as none', () => {
		expect(scalabilityStep.markdown(withEstimate({...collab, growthPerYear: 0}))).toContain(
			'| User growth | none |',
		);
	});

	test('is left out without an estimate, or with one that is not complete', () => {
		expect(scalabilityStep.markdown(example())).not.toContain('Capacity Estimate');
		const zeros = {...collab, users: 0, perInstanceRps: 0};
		expect(scalabilityStep.markdown(withEstimate(zeros))).not.toContain('Capacity Estimate');
	});
});

describe('number fields in a draft', () => {
	const plan = () => structuredClone(rawExample()['scalability']) as Record<string, unknown>;
	const draftWith = (estimateDraft: unknown) => ({
		scalability: {...plan(), estimate: estimateDraft},
	});
	const typed = Object.fromEntries(
		Object.entries(collab).map(([key, value]) => [key, String(value)]),
	);

	test('become numbers where the model holds a number, in any spelling of one', () => {
		const draft = draftWith({...typed, users: '100,000', requestsPerUserPerDay: ' 864 '});
		const normal = normalizeDraft(draft) as {scalability: {estimate: unknown}};
		expect(normal.scalability.estimate).toEqual(collab);
		expect(validatePart(scalabilitySchema, draft, ['scalability']).ok).toBe(true);
	});

	test.each([
		['1_000_000', 1_000_000],
		['1e6', 1_000_000],
		['.5', 0.5],
		['-2', -2],
		['0.', 0],
	])('%j is %d', (text, value) => {
		const normal = normalizeDraft(draftWith({...typed, users: text})) as {
			scalability: {estimate: {users: unknown}};
		};
		expect(normal.scalability.estimate.users).toBe(value);
	});

	test('text that is not a number stays text, so the schema names the field', () => {
		const draft = draftWith({...typed, users: 'lots', peakFactor: '1,00'});
		const result = validatePart(scalabilitySchema, draft, ['scalability']);
		expect(result.ok ? [] : [...result.errors]).toEqual([
			['scalability.estimate.users', 'Users now must be a number'],
			['scalability.estimate.peakFactor', 'Peak factor must be a number'],
		]);
	});

	test('a number too large for a double is refused as not finite', () => {
		const result = validatePart(scalabilitySchema, draftWith({...typed, users: '1e400'}), [
			'scalability',
		]);
		expect(result.ok ? [] : [...result.errors]).toEqual([
			['scalability.estimate.users', 'Users now must be a finite number'],
		]);
	});

	test('an estimate left wholly blank is left out', () => {
		const blank = Object.fromEntries(Object.keys(collab).map(key => [key, ' ']));
		expect(validatePart(scalabilitySchema, draftWith(blank), ['scalability']).ok).toBe(true);
		expect(validatePart(scalabilitySchema, draftWith({}), ['scalability']).ok).toBe(true);
	});

	test('an estimate begun and not finished says what is missing', () => {
		const result = validatePart(scalabilitySchema, draftWith({users: '100'}), ['scalability']);
		const keys = result.ok ? [] : [...result.errors.keys()];
		expect(keys).toContain('scalability.estimate.peakFactor');
		expect(keys).not.toContain('scalability.estimate.users');
		expect(keys).not.toContain('scalability.estimate.costTarget');
	});

	test('confidence still converts, and number-like text elsewhere stays text', () => {
		const draft = {
			cap: {confidence: '0.85'},
			scalability: {...plan(), confidence: '0.8', sharding: {count: '16'}},
		};
		const normal = normalizeDraft(draft) as {
			cap: {confidence: unknown};
			scalability: {confidence: unknown; sharding: {count: unknown}};
		};
		expect(normal.cap.confidence).toBe(0.85);
		expect(normal.scalability.confidence).toBe(0.8);
		expect(normal.scalability.sharding.count).toBe('16');
	});
});

describe('shapeOf', () => {
	test('finds numeric places, through lists, and the groups that may be left out', () => {
		const shape = shapeOf({
			type: 'object',
			required: ['rows', 'fixed'],
			properties: {
				rows: {type: 'array', items: {type: 'object', properties: {size: {type: 'number'}}}},
				fixed: {type: 'object', properties: {n: {type: 'integer'}}},
				extra: {type: 'object', properties: {}},
			},
		});
		expect([...shape.numeric]).toEqual(['rows.*.size', 'fixed.n']);
		expect([...shape.optionalGroups]).toEqual(['extra']);
	});
});
