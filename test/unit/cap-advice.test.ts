import {describe, expect, test} from 'vitest';
import {countIn, suggestCap, uptimePercent} from '../../src/cap-advice.js';
import type {Requirements} from '../../steps/requirements.js';
import {example} from './example.js';

/** Requirements with every field plain and neutral, then the given parts changed. */
function requirements(change: (copy: Requirements) => void = () => {}): Requirements {
	const base: Requirements = {
		functional: [{name: 'Keep records', description: 'store and show records'}],
		performance: {latency: 'p99 < 200ms', throughput: '50 requests/sec'},
		scalability: {users: '300 staff', data: '20 GB', growth: '10% per year'},
		availability: {uptime: '99.5%', rto: '1 hour', rpo: '15 minutes'},
		consistency: {strong: 'Record edits', eventual: 'Reports'},
		other: {cost: 'Modest', compliance: 'None', operability: 'One engineer'},
	};
	change(base);
	return base;
}

describe('suggestCap', () => {
	test('suggests AP for the collaborative editor, quoting what drove it', () => {
		const {requirements: wanted, cap} = example();
		for (const advice of [suggestCap(wanted), suggestCap(wanted, cap.partitions)]) {
			expect(advice.choice).toBe('AP');
			expect(advice.reasons).toContain(
				'Partitions will occur: Scalability: users "100K concurrent users" needs many ' +
					'machines, and the network between them can split.',
			);
			expect(advice.reasons).toContain(
				'Eventual consistency "Presence info (acceptable staleness)" accepts copies that ' +
					'differ for a while and converge later (leans AP).',
			);
			expect(advice.reasons.some(reason => reason.includes('"Conflict-free merging - edits'))).toBe(
				true,
			);
		}

		expect(suggestCap(wanted, cap.partitions).reasons[0]).toBe(
			'Partitions will occur: the CAP answer says "Yes - distributed system with users ' +
				'globally, partitions will occur".',
		);
	});

	test('suggests CP when balances must agree across regions', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.functional = [{name: 'Transfers', description: 'move funds between accounts'}];
				copy.scalability.users = '2M account holders';
				copy.availability.uptime = '99.95%';
				copy.consistency.strong = 'Account balances and payment state';
				copy.consistency.eventual = 'Statements may lag by a minute';
				copy.other.operability = 'Multi-region, active in two regions';
			}),
		);
		expect(advice.choice).toBe('CP');
		expect(advice.reasons).toEqual([
			'Partitions will occur: Operability says "Multi-region, active in two regions".',
			'Partitions will occur: Scalability: users "2M account holders" needs many machines, ' +
				'and the network between them can split.',
			'Strong consistency names "Account balances and payment state": copies of balances ' +
				'must never disagree (leans CP for that data).',
		]);
	});

	test('suggests CA for one data centre, and says the stock stays consistent there', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.consistency.strong = 'Inventory counts';
				copy.other.operability = 'Runs in a single data center, on-premises';
			}),
		);
		expect(advice.choice).toBe('CA');
		expect(advice.reasons).toEqual([
			'One site: Operability says "Runs in a single data center, on-premises".',
			'Strong consistency names "Inventory counts": on one site a single-leader database ' +
				'keeps it consistent without giving up availability.',
			'CA: consistent and available while the network holds; revisit this if the system ' +
				'spreads to more sites.',
		]);
	});

	test('suggests CA when nothing says the system is spread out', () => {
		const advice = suggestCap(requirements());
		expect(advice.choice).toBe('CA');
		expect(advice.reasons[0]).toMatch(/^Nothing in the requirements puts the system on more/);
	});

	test('reads a negated spread as one site', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.scalability.growth = 'Slow; not planning geographic distribution';
			}),
		);
		expect(advice.choice).toBe('CA');
		expect(advice.reasons[0]).toBe(
			'One site: Scalability: growth says "not planning geographic distribution".',
		);
	});

	test('takes a "no" from the CAP answer over wording elsewhere', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.functional = [{name: 'Search', description: 'global search over records'}];
			}),
			'No - one data center behind one switch.',
		);
		expect(advice.choice).toBe('CA');
		expect(advice.reasons[0]).toBe(
			'One site, no partitions: the CAP answer says "No - one data center behind one switch".',
		);
	});

	test('reads a CAP answer that is neither yes nor no like a requirement', () => {
		const advice = suggestCap(requirements(), 'Users are spread around the world');
		expect(advice.choice).toBe('AP');
		expect(advice.reasons[0]).toBe(
			'Partitions will occur: The CAP answer on partitions says "Users are spread around ' +
				'the world".',
		);
	});

	test('leans AP for an uptime of 99.99% or more', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.availability.uptime = 'four nines';
				copy.other.operability = 'Deployed in three regions';
			}),
		);
		expect(advice.choice).toBe('AP');
		expect(advice.reasons).toContain(
			'Availability: uptime "four nines" is 99.99% or more: the system must keep answering ' +
				'during a partition (leans AP).',
		);
	});

	test('breaks a tie between uptime and critical data towards consistency', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.availability.uptime = '99.99%';
				copy.consistency.strong = 'Seat reservations';
				copy.other.operability = 'Multi-region';
			}),
		);
		expect(advice.choice).toBe('CP');
		expect(advice.reasons.at(-1)).toBe(
			'CP overall; the data that may be stale can still be served from replicas (AP).',
		);
	});

	test('goes AP when availability outweighs, keeping the critical data on a CP store', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.availability.uptime = '99.999%';
				copy.functional = [{name: 'Offline checkout', description: 'works offline'}];
				copy.consistency.strong = 'Payments';
			}),
		);
		expect(advice.choice).toBe('AP');
		expect(advice.reasons.at(-1)).toBe(
			'AP overall, with payments kept on a strongly consistent (CP) store.',
		);
	});

	test('counts strong models among the other consistency needs as strong', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.consistency.additional = [{model: 'Linearizable', scope: 'Ledger entries'}];
				copy.other.operability = 'Globally distributed';
			}),
		);
		expect(advice.choice).toBe('CP');
		expect(advice.reasons).toContain(
			'Other consistency need names "Linearizable: Ledger entries": copies of ledger must ' +
				'never disagree (leans CP for that data).',
		);
	});

	test('quotes one sentence of a long requirement, cut to a readable length', () => {
		const advice = suggestCap(
			requirements(copy => {
				copy.other.operability =
					'The team is small. ' +
					`We run in several regions${' and keep adding more'.repeat(8)}. On-call is shared.`;
			}),
		);
		const reason = advice.reasons[0]!;
		expect(reason.startsWith('Partitions will occur: Operability says "We run in several')).toBe(
			true,
		);
		expect(reason).toMatch(/…"\.$/);
		expect(reason).not.toContain('team is small');
	});

	test('gives the same advice for the same requirements', () => {
		const {requirements: wanted} = example();
		expect(suggestCap(wanted)).toEqual(suggestCap(structuredClone(wanted)));
	});
});

describe('countIn', () => {
	test.each([
		['100K concurrent users', 100_000],
		['1.5 million users', 1_500_000],
		['2,000 staff', 2000],
		['3B devices', 3_000_000_000],
		['about 40 people', 40],
		['many', undefined],
	])('%j is %s', (text, count) => {
		expect(countIn(text)).toBe(count);
	});
});

describe('uptimePercent', () => {
	test.each([
		['99.9% SLA (43 minutes downtime/month)', 99.9],
		['99.99 %', 99.99],
		['five nines', 99.999],
		['two nines', 99],
		['best effort', undefined],
	])('%j is %s', (text, percent) => {
		expect(uptimePercent(text)).toBe(percent);
	});
});
