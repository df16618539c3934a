// Back-of-envelope capacity arithmetic for the scalability step: load, instances, storage
// and cost from a handful of figures. Storage is counted in decimal units: 1 GB = 1000 MB.

/** The figures an estimate starts from; the scalability schema validates them. */
export type EstimateInput = {
	/** Users now. */
	readonly users: number;
	readonly requestsPerUserPerDay: number;
	/** Peak load over average load, at least 1. */
	readonly peakFactor: number;
	/** Requests per second one instance serves. */
	readonly perInstanceRps: number;
	/** Yearly growth of the user count as a fraction: 0 none, 0.5 is +50%, 2 is 3x a year. */
	readonly growthPerYear: number;
	readonly storagePerUserMb: number;
	readonly costPerInstanceMonth: number;
	readonly storageCostPerGbMonth: number;
	/** Most the system may cost per user per month. */
	readonly costTarget?: number;
};

/** What the figures come to. */
export type Estimate = {
	readonly averageRps: number;
	readonly peakRps: number;
	/** Instances needed for the peak load now, at 10 times and at 100 times the users. */
	readonly instances: {readonly now: number; readonly at10x: number; readonly at100x: number};
	/** Stored data now, after one year and after three years of growth, in GB. */
	readonly storageGb: {
		readonly now: number;
		readonly afterOneYear: number;
		readonly afterThreeYears: number;
	};
	/** Instances and storage now, per month. */
	readonly monthlyCost: number;
	readonly costPerUserMonth: number;
	/** Whether the cost per user is at or below the target; absent without a target. */
	readonly withinTarget?: boolean;
};

const SECONDS_PER_DAY = 86_400;
const MB_PER_GB = 1000;

/** Load, instances, storage and cost for the given figures. */
export function estimate(input: EstimateInput): Estimate {
	const averageRps = (input.users * input.requestsPerUserPerDay) / SECONDS_PER_DAY;
	const peakRps = averageRps * input.peakFactor;
	const instancesFor = (scale: number) => wholeUnits((peakRps * scale) / input.perInstanceRps);
	const storageAfter = (years: number) =>
		(input.users * (1 + input.growthPerYear) ** years * input.storagePerUserMb) / MB_PER_GB;
	const instances = {now: instancesFor(1), at10x: instancesFor(10), at100x: instancesFor(100)};
	const storageGb = {
		now: storageAfter(0),
		afterOneYear: storageAfter(1),
		afterThreeYears: storageAfter(3),
	};
	const monthlyCost =
		instances.now * input.costPerInstanceMonth + storageGb.now * input.storageCostPerGbMonth;
	const costPerUserMonth = monthlyCost / input.users;
	return {
		averageRps,
		peakRps,
		instances,
		storageGb,
		monthlyCost,
		costPerUserMonth,
		...(input.costTarget === undefined ? {} : {withinTarget: costPerUserMonth <= input.costTarget}),
	};
}

/**
 * How many whole units hold `amount`: rounded up, at least 1. A result a rounding error
 * above a whole number (3.0000000000000004) counts as that number.
 */
export function wholeUnits(amount: number): number {
	const nearest = Math.round(amount);
	const whole =
		Math.abs(amount - nearest) <= Number.EPSILON * 8 * Math.max(1, nearest)
			? nearest
			: Math.ceil(amount);
	return Math.max(1, whole);
}
