import {memo, useEffect, useMemo, useState} from 'react';
import {Box, Text} from 'ink';
import {truncateAnsi} from '../src/ansi-text.js';
import {
	cleanMarkdown,
	isMarkdownRendererLoaded,
	loadMarkdownRenderer,
	renderMarkdown,
} from '../src/render-markdown.js';
import {wrapLines} from '../src/text-layout.js';

type Props = {
	readonly markdown: string;
	/** Columns of every line, the status line included. */
	readonly width: number;
	/** Rows, the status line included. */
	readonly height: number;
	/** First line shown; clamped to the text. */
	readonly scroll: number;
	/** Show the markdown as written rather than drawn. */
	readonly raw?: boolean;
	/** False for no escape sequences at all (NO_COLOR, --no-color). */
	readonly color?: boolean;
};

/**
 * A markdown document a screenful at a time, drawn for the terminal or as written, with
 * its position on a status line. It loads the markdown renderer on first use and shows the
 * markdown as written until then. Memoised: a frame that changes nothing it shows skips it.
 */
export const MarkdownView = memo(function MarkdownView({
	markdown,
	width,
	height,
	scroll,
	raw = false,
	color = true,
}: Props) {
	const [loaded, setLoaded] = useState(isMarkdownRendererLoaded);
	useEffect(() => {
		if (loaded) return;
		let mounted = true;
		void loadMarkdownRenderer().then(() => {
			if (mounted) setLoaded(isMarkdownRendererLoaded());
		});
		return () => {
			mounted = false;
		};
	}, [loaded]);

	const columns = Math.max(1, Math.floor(width));
	const lines = useMemo(
		() =>
			raw || !loaded
				? writtenLines(markdown, columns)
				: renderMarkdown(markdown, {width: columns, color}).split('\n'),
		[markdown, columns, color, raw, loaded],
	);
	const body = Math.max(1, height - 1);
	const top = Math.max(0, Math.min(scroll, lines.length - body));
	const shown = lines.slice(top, top + body);
	const first = lines.length === 0 ? 0 : top + 1;
	const status =
		`lines ${first}–${top + shown.length} of ${lines.length} · PgUp/PgDn · ` +
		`^R ${raw ? 'drawn' : 'raw'}`;
	// One text of lines already cut to the width: one node to lay out and draw, not a node per
	// line, on every frame the preview is on screen.
	const text = useMemo(
		() => shown.map(line => truncateAnsi(line, columns) || ' ').join('\n'),
		[lines, top, body, columns],
	);
	return (
		<Box flexDirection="column" width={columns}>
			<Text>{text}</Text>
			<Text dimColor={color} wrap="truncate">
				{truncateAnsi(status, columns, true)}
			</Text>
		</Box>
	);
});

const FENCE = /^\s*(`{3,}|~{3,})/;
// A closing fence holds nothing after its marker.
const CLOSING_FENCE = /^\s*(`{3,}|~{3,})\s*$/;

/** The markdown as written: prose wrapped to the width, fenced blocks left whole. */
function writtenLines(markdown: string, width: number): string[] {
	const out: string[] = [];
	let fence: string | undefined;
	for (const line of cleanMarkdown(markdown).split('\n')) {
		if (fence !== undefined) {
			out.push(line);
			const marker = CLOSING_FENCE.exec(line)?.[1];
			if (marker && marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
			continue;
		}

		const marker = FENCE.exec(line)?.[1];
		if (marker) {
			fence = marker;
			out.push(line);
		} else {
			out.push(...wrapLines(line, width));
		}
	}

	return out;
}
