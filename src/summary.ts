import type {Answers} from './answers.js';
import type {CommitResult} from './commit.js';

const capWords: Record<Answers['cap']['choice'], string> = {
	AP: 'an AP system (availability during partitions)',
	CP: 'a CP system (consistency during partitions)',
	CA: 'a CA system (no partition tolerance: one site, a reliable network)',
};

/** The closing paragraph of the seed's step 7, from the answers. */
export function summaryParagraph(answers: Answers): string {
	const names = answers.architecture.components.map(component => component.name);
	const shown =
		names.length > 4
			? `${names.slice(0, 4).join(', ')} and ${names.length - 4} more`
			: names.join(', ');
	const horizontal = answers.scalability.horizontal.map(item => item.component);
	const cost = answers.scalability.cost;
	const costText = cost.total
		? `Cost: ${cost.total}${cost.target ? ` against a target of ${cost.target}` : ''}.`
		: cost.target
			? `Cost target: ${cost.target}.`
			: '';
	return [
		`${answers.system} is designed as ${capWords[answers.cap.choice]}.`,
		`Consistency: ${answers.consistency.primary}.`,
		`Architecture: ${shown}.`,
		horizontal.length > 0
			? `Scales out through ${horizontal.join(', ')}; shard ${answers.scalability.sharding.when.replace(/^at /i, 'at ')} by ${answers.scalability.sharding.key}.`
			: `Shard ${answers.scalability.sharding.when} by ${answers.scalability.sharding.key}.`,
		costText,
	]
		.filter(Boolean)
		.join(' ');
}

/** The commands that read the design back from Engram. */
export function queryCommands(result: CommitResult): string[] {
	return [
		`engram task show ${result.taskId}`,
		`engram relationship connected --entity-id ${result.taskId}`,
		...result.entities.map(entity => `engram ${entity.kind} show ${entity.id}`),
	];
}
