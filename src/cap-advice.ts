// A first suggestion for the CAP step, read from the requirements: will the network
// partition, and if it does, which matters more, staying consistent or staying available.
// It is a starting point with its reasons shown, not a decision: the same words always give
// the same suggestion, and every reason quotes the requirement it comes from.
import type {CapChoice} from '../steps/cap.js';
import type {Requirements} from '../steps/requirements.js';

/** The suggested choice and why, one sentence per reason. */
export type CapAdvice = {
	readonly choice: CapChoice;
	readonly reasons: readonly string[];
};

/** One answered requirement: where it was written, and what. */
type Said = {readonly where: string; readonly text: string};

/** A case-insensitive pattern that finds any of the given alternatives as whole words. */
function words(...alternatives: readonly string[]): RegExp {
	return new RegExp(String.raw`\b(?:${alternatives.join('|')})\b`, 'gi');
}

const DATA_CENTRE = String.raw`data ?cent(?:er|re)`;
// Wording that puts parts of the system on different machines, sites or devices that keep
// their own copy of the data.
const DISTRIBUTED = words(
	String.raw`multi[- ]?regions?`,
	'multiple regions',
	String.raw`cross[- ]region`,
	'regions',
	'global(?:ly)?',
	'worldwide',
	'around the world',
	String.raw`geo[- ]?(?:distributed|distribution|replicat\w*|graphic\w*)`,
	'distributed',
	'partitions? (?:will|can|may) occur',
	`multiple (?:${DATA_CENTRE}s|sites|zones|availability zones)`,
	`multi[- ]?(?:az|zone|site|dc|${DATA_CENTRE})`,
	`${DATA_CENTRE}s`,
	'offline',
	'local[- ]first',
	'conflict[- ]free',
	'crdts?',
);
// Wording that keeps the system on one site.
const SINGLE_SITE = words(
	`(?:single|one) (?:${DATA_CENTRE}|region|site|server|machine|node|rack|location)`,
	'on[- ]prem(?:ise|ises)?',
);
// Data whose copies must never disagree: money, stock, bookings, identity, locks.
const CRITICAL = words(
	'payments?',
	'billing',
	'balances?',
	'money',
	'ledgers?',
	'inventory',
	'stock',
	'orders?',
	'bookings?',
	'reservations?',
	'seats?',
	'tickets?',
	'transactions?',
	'transfers?',
	'funds',
	'wallets?',
	'trades?',
	'bids?',
	'credits?',
	'quotas?',
	'locks?',
	'uniqueness',
	String.raw`unique \w+`,
	String.raw`double[- ]spend\w*`,
	String.raw`overs(?:ell|old)\w*`,
);
// Wording that accepts diverging copies for a while.
const TOLERANT = words(
	'(?:acceptable|tolerable|brief|temporary) staleness',
	String.raw`stale\w*(?: \w+){0,3} (?:is |are )?(?:acceptable|fine|ok|okay|allowed|tolerated)`,
	'conflict[- ]free',
	'merg(?:e|es|ed|ing)',
	'crdts?',
	'offline',
	'local[- ]first',
	'causal(?:ly)?',
	'approximate is fine',
	String.raw`last[- ]writ\w+[- ]wins`,
);
const NEGATION = /\b(?:no|not|never|without|non|nor)\b[^.;,]*$/i;

// A user count this large needs many machines; the network between them can split.
const MANY_USERS = 1_000_000;
const MANY_CONCURRENT = 100_000;
const HIGH_UPTIME = 99.99;

/**
 * The CAP choice the requirements point to, with the reasons. `partitions` is the CAP
 * step's own answer to "will partitions occur", when there is one.
 */
export function suggestCap(requirements: Requirements, partitions?: string): CapAdvice {
	const said = answered(requirements);
	const reasons: string[] = [];

	const answer = partitions?.trim() ? partitions.trim() : undefined;
	const stated = answer ? partitionsAnswer(answer) : undefined;
	// An answer that is neither yes nor no is read like any requirement.
	const scanned =
		answer && !stated ? [...said, {where: 'The CAP answer on partitions', text: answer}] : said;
	const spread = stated === 'no' ? [] : scanned.flatMap(item => found(item, DISTRIBUTED));
	const single = scanned.flatMap(item => [
		...found(item, SINGLE_SITE),
		...negated(item, DISTRIBUTED),
	]);
	const scale = stated === 'no' ? undefined : scaleReason(requirements);
	if (stated === 'yes') {
		reasons.push(`Partitions will occur: the CAP answer says ${quote(answer!)}.`);
	}

	for (const hit of distinctPlaces(spread)) {
		reasons.push(`Partitions will occur: ${hit.where} says ${quote(hit.excerpt)}.`);
	}

	if (scale) reasons.push(scale);
	const partitioned = stated === 'yes' || spread.length > 0 || scale !== undefined;

	const strongNeeds = strongParts(requirements);
	const critical = distinctPlaces(strongNeeds.flatMap(item => found(item, CRITICAL)));
	const tolerant = distinctPlaces(said.flatMap(item => found(item, TOLERANT)));
	const uptime = uptimePercent(requirements.availability.uptime);
	const highUptime = uptime !== undefined && uptime >= HIGH_UPTIME;

	if (!partitioned) {
		if (stated === 'no') {
			reasons.push(`One site, no partitions: the CAP answer says ${quote(answer!)}.`);
		}

		for (const hit of distinctPlaces(single)) {
			reasons.push(`One site: ${hit.where} says ${quote(hit.excerpt)}.`);
		}

		if (stated !== 'no' && single.length === 0) {
			reasons.push(
				'Nothing in the requirements puts the system on more than one site or on many ' +
					'machines, so a network partition is unlikely.',
			);
		}

		for (const hit of critical) {
			reasons.push(
				`${hit.where} names ${quote(hit.excerpt)}: on one site a single-leader ` +
					'database keeps it consistent without giving up availability.',
			);
		}

		reasons.push(
			'CA: consistent and available while the network holds; revisit this if the system ' +
				'spreads to more sites.',
		);
		return {choice: 'CA', reasons};
	}

	let consistent = 0;
	let available = 0;
	for (const hit of critical) {
		consistent += 2;
		reasons.push(
			`${hit.where} names ${quote(hit.excerpt)}: copies of ${hit.match.toLowerCase()} ` +
				'must never disagree (leans CP for that data).',
		);
	}

	if (highUptime) {
		available += 2;
		reasons.push(
			`Availability: uptime ${quote(requirements.availability.uptime)} is ${HIGH_UPTIME}% or ` +
				'more: the system must keep answering during a partition (leans AP).',
		);
	}

	for (const hit of tolerant) {
		available += 1;
		reasons.push(
			`${hit.where} ${quote(hit.excerpt)} accepts copies that differ for a while and ` +
				'converge later (leans AP).',
		);
	}

	// A tie goes to consistency when some data cannot diverge, else to availability.
	const choice: CapChoice =
		consistent > available || (consistent === available && critical.length > 0) ? 'CP' : 'AP';
	if (choice === 'AP' && critical.length > 0) {
		reasons.push(
			`AP overall, with ${critical.map(hit => hit.match.toLowerCase()).join(', ')} kept on a ` +
				'strongly consistent (CP) store.',
		);
	} else if (choice === 'CP' && tolerant.length + (highUptime ? 1 : 0) > 0) {
		reasons.push('CP overall; the data that may be stale can still be served from replicas (AP).');
	} else if (choice === 'AP' && available === 0) {
		reasons.push(
			'AP: partitions will occur and no data is named that must never be stale, so staying ' +
				'available costs little.',
		);
	}

	return {choice, reasons};
}

/** Every answered requirement, named as the requirements document names it. */
function answered(requirements: Requirements): Said[] {
	const {functional, performance, scalability, availability, consistency, other} = requirements;
	return [
		...functional.map(item => ({
			where: 'Functional requirement',
			text: `${item.name} - ${item.description}`,
		})),
		{where: 'Performance: latency', text: performance.latency},
		{where: 'Performance: throughput', text: performance.throughput},
		{where: 'Scalability: users', text: scalability.users},
		{where: 'Scalability: data', text: scalability.data},
		{where: 'Scalability: growth', text: scalability.growth},
		{where: 'Availability: uptime', text: availability.uptime},
		{where: 'Availability: RTO', text: availability.rto},
		{where: 'Availability: RPO', text: availability.rpo},
		...strongParts(requirements),
		{where: 'Eventual consistency', text: consistency.eventual},
		...(consistency.additional ?? [])
			.filter(need => !isStrongModel(need.model))
			.map(need => ({where: 'Other consistency need', text: `${need.model}: ${need.scope}`})),
		{where: 'Cost', text: other.cost},
		{where: 'Compliance', text: other.compliance},
		{where: 'Operability', text: other.operability},
	];
}

/** What the requirements say must be strongly consistent. */
function strongParts(requirements: Requirements): Said[] {
	const {strong, additional} = requirements.consistency;
	return [
		{where: 'Strong consistency', text: strong},
		...(additional ?? [])
			.filter(need => isStrongModel(need.model))
			.map(need => ({where: 'Other consistency need', text: `${need.model}: ${need.scope}`})),
	];
}

/** Whether a consistency model named in the requirements is a strong one. */
function isStrongModel(model: string): boolean {
	return /\b(?:strong|lineari[sz]\w*|serializ\w*|serialis\w*|strict)\b/i.test(model);
}

type Hit = {readonly where: string; readonly excerpt: string; readonly match: string};

/** Where a pattern occurs in one requirement, leaving out occurrences under a negation. */
function found(item: Said, pattern: RegExp): Hit[] {
	return matches(item, pattern).filter(hit => !hit.negated);
}

/** Occurrences of a pattern under a negation ("not planning geographic distribution"). */
function negated(item: Said, pattern: RegExp): Hit[] {
	return matches(item, pattern).filter(hit => hit.negated);
}

function matches(item: Said, pattern: RegExp): (Hit & {readonly negated: boolean})[] {
	return [...item.text.matchAll(pattern)].map(match => {
		const at = match.index ?? 0;
		const before = item.text.slice(0, at);
		return {
			where: item.where,
			excerpt: excerpt(item.text, at),
			match: match[0],
			negated: NEGATION.test(before.split(/[.;\n]/).at(-1) ?? ''),
		};
	});
}

/** The first hit in each quoted passage, so that each is quoted once. */
function distinctPlaces(hits: readonly Hit[]): Hit[] {
	const seen = new Set<string>();
	return hits.filter(hit => {
		const key = `${hit.where}\n${hit.excerpt}`;
		if (seen.has(key)) return false;
		seen.add(key);
		return true;
	});
}

const EXCERPT_LIMIT = 100;

/** The sentence or line around `index`, cut to a readable length. */
function excerpt(text: string, index: number): string {
	const start = Math.max(0, ...['. ', '\n', '; '].map(mark => text.lastIndexOf(mark, index) + 1));
	const ends = ['. ', '\n', '; '].map(mark => text.indexOf(mark, index)).filter(end => end >= 0);
	const sentence = text.slice(start, Math.min(text.length, ...ends)).trim();
	return sentence.length <= EXCERPT_LIMIT ? sentence : `${sentence.slice(0, EXCERPT_LIMIT - 1)}…`;
}

/** A value in double quotes, cut to one readable line, without a closing full stop. */
function quote(text: string): string {
	const line = text
		.trim()
		.replace(/\s+/g, ' ')
		.replace(/[.;,]+$/, '');
	return `"${line.length <= EXCERPT_LIMIT ? line : `${line.slice(0, EXCERPT_LIMIT - 1)}…`}"`;
}

/** "yes" or "no" when the CAP answer starts with one, else undefined. */
function partitionsAnswer(text: string): 'yes' | 'no' | undefined {
	const first = /^\W*(yes|no)\b/i.exec(text)?.[1]?.toLowerCase();
	return first === 'yes' || first === 'no' ? first : undefined;
}

/** The reason a user count alone makes partitions likely, or undefined. */
function scaleReason(requirements: Requirements): string | undefined {
	const users = requirements.scalability.users;
	const count = countIn(users);
	if (count === undefined) return undefined;
	const concurrent = /\bconcurrent|simultaneous|online at once\b/i.test(users);
	if (count < (concurrent ? MANY_CONCURRENT : MANY_USERS)) return undefined;
	return (
		`Partitions will occur: Scalability: users ${quote(users)} needs many machines, and the ` +
		'network between them can split.'
	);
}

const MULTIPLIERS: Readonly<Record<string, number>> = {
	k: 1e3,
	thousand: 1e3,
	m: 1e6,
	million: 1e6,
	mm: 1e6,
	b: 1e9,
	bn: 1e9,
	billion: 1e9,
};

/** The first count in a text: "100K" 100,000; "1.5 million" 1,500,000; "2,000" 2,000. */
export function countIn(text: string): number | undefined {
	const match = /(\d[\d,]*(?:\.\d+)?)\s*(k|thousand|mm|m|million|bn|b|billion)?\b/i.exec(text);
	if (!match) return undefined;
	const value = Number(match[1]!.replaceAll(',', ''));
	const unit = match[2]?.toLowerCase();
	return value * (unit ? (MULTIPLIERS[unit] ?? 1) : 1);
}

const NINES: Readonly<Record<string, number>> = {two: 2, three: 3, four: 4, five: 5, six: 6};

/** The uptime as a percentage: "99.9% SLA" 99.9, "four nines" 99.99; else undefined. */
export function uptimePercent(text: string): number | undefined {
	const percent = /(\d+(?:\.\d+)?)\s*%/.exec(text);
	if (percent) return Number(percent[1]);
	const nines = /\b(two|three|four|five|six)\s+nines\b/i.exec(text)?.[1]?.toLowerCase();
	const count = nines ? NINES[nines] : undefined;
	return count === undefined ? undefined : Number(`99.${'9'.repeat(count - 2)}`);
}
