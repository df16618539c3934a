import {Box, Text} from 'ink';
import type {Answers} from '../src/answers.js';
import type {CommitResult} from '../src/commit.js';
import {queryCommands, summaryParagraph} from '../src/summary.js';
import {wrapLines} from '../src/text-layout.js';

type Props = {
	readonly answers: Answers;
	readonly result: CommitResult;
	readonly storeKind: 'engram' | 'embedded';
	readonly width: number;
	readonly height: number;
};

/** The closing paragraph, every id, and the commands that read the design back. */
export function SummaryView({answers, result, storeKind, width, height}: Props) {
	const lines = [
		...wrapLines(summaryParagraph(answers), width),
		'',
		`task       ${result.taskId}${result.taskCreated ? ' (created)' : ''}`,
		...result.entities.map(entity => `${entity.kind.padEnd(10)} ${entity.id}  ${entity.title}`),
		'',
		'Read it back:',
		...(storeKind === 'engram'
			? queryCommands(result).slice(0, 2)
			: [`engram-design show ${result.taskId}`, 'engram-design push   (into Engram, once)']
		).map(command => `  ${command}`),
	];
	return (
		<Box flexDirection="column">
			{lines.slice(0, height).map((line, index) => (
				<Text key={index} wrap="truncate">
					{line || ' '}
				</Text>
			))}
		</Box>
	);
}
