import {useEffect, useState} from 'react';
import {Box, Text} from 'ink';
import {useKeyInput} from './use-key-input.js';
import type {Answers} from '../src/answers.js';
import type {CommitEvent, CommitResult} from '../src/commit.js';
import {StoreError} from '../src/store.js';
import {truncate} from '../src/text-layout.js';
import {useTint} from './palette.js';

type Props = {
	readonly answers: Answers;
	readonly commit: (
		answers: Answers,
		onEvent: (event: CommitEvent) => void,
	) => Promise<CommitResult>;
	readonly width: number;
	readonly height: number;
	readonly onDone: (result: CommitResult) => void;
	readonly onBack: () => void;
};

type Line = {readonly text: string; readonly state: 'running' | 'done' | 'kept' | 'warn'};

/** Runs the commit, one line of progress per operation; a failure offers retry. */
export function CommitView({answers, commit, width, height, onDone, onBack}: Props) {
	const tint = useTint();
	const [lines, setLines] = useState<Line[]>([]);
	const [failure, setFailure] = useState<{message: string; detail: string}>();
	const [attempt, setAttempt] = useState(0);

	useEffect(() => {
		let live = true;
		setFailure(undefined);
		setLines([]);
		const onEvent = (event: CommitEvent) => {
			if (!live) return;
			setLines(current => {
				const rest = current.filter(line => line.state !== 'running');
				if (event.type === 'start') return [...rest, {text: event.label, state: 'running'}];
				if (event.type === 'warn') return [...rest, {text: event.message, state: 'warn'}];
				return [
					...rest,
					{text: `${event.label}  ${event.id}`, state: event.reused ? 'kept' : 'done'},
				];
			});
		};

		commit(answers, onEvent).then(
			result => live && onDone(result),
			(error: unknown) => {
				if (!live) return;
				const message = error instanceof Error ? error.message : String(error);
				setFailure({message, detail: error instanceof StoreError ? error.detail : ''});
			},
		);
		return () => {
			live = false;
		};
	}, [attempt]);

	useKeyInput(
		keys => {
			for (const key of keys) {
				if (key.type === 'text' && key.text.includes('r')) setAttempt(value => value + 1);
				if (key.type === 'ctrl' && key.letter === 'p') onBack();
			}
		},
		{isActive: failure !== undefined},
	);

	const marks = {running: '…', done: '✓', kept: '=', warn: '!'};
	const detail =
		failure?.detail
			.trim()
			.split('\n')
			.slice(0, Math.max(1, height - lines.length - 4)) ?? [];
	return (
		<Box flexDirection="column">
			{lines.slice(-Math.max(1, height - 3 - detail.length)).map((line, index) => (
				<Text
					key={index}
					wrap="truncate"
					color={line.state === 'warn' ? tint('yellow') : undefined}
				>
					{truncate(
						`${marks[line.state]} ${line.text}${line.state === 'kept' ? ' (already stored)' : ''}`,
						width,
					)}
				</Text>
			))}
			{failure ? (
				<>
					<Text color={tint('red')} wrap="truncate">
						{truncate(`✗ ${failure.message}`, width)}
					</Text>
					{detail.map((line, index) => (
						<Text key={`d${index}`} dimColor wrap="truncate">
							{truncate(`  ${line}`, width)}
						</Text>
					))}
					<Text>Press r to retry: it continues where it stopped.</Text>
				</>
			) : null}
		</Box>
	);
}
