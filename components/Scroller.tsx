import {useMemo} from 'react';
import {Box, Text} from 'ink';
import {wrapLines} from '../src/text-layout.js';

type Props = {
	readonly text: string;
	readonly width: number;
	readonly height: number;
	/** First line shown; clamped to the text. */
	readonly scroll: number;
	readonly title?: string;
};

/** A block of text shown a screenful at a time, with its position. */
export function Scroller({text, width, height, scroll, title}: Props) {
	// Scrolling and other redraws keep the text: it is wrapped again only when it changes.
	const lines = useMemo(() => wrapLines(text, Math.max(10, width)), [text, width]);
	const body = Math.max(1, height - 1);
	const top = Math.min(scroll, Math.max(0, lines.length - body));
	const shown = lines.slice(top, top + body);
	const end = Math.min(lines.length, top + body);
	return (
		<Box flexDirection="column" width={width}>
			<Text dimColor wrap="truncate">
				{`${title ? `${title} · ` : ''}lines ${lines.length === 0 ? 0 : top + 1}–${end} of ${lines.length} · PgUp/PgDn scroll`}
			</Text>
			{shown.map((line, index) => (
				<Text key={top + index} wrap="truncate">
					{line || ' '}
				</Text>
			))}
		</Box>
	);
}
