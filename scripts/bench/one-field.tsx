// A yardstick for typing: an Ink app with one multi-line field and nothing else. The field
// starts with the text of the file named on the command line and fills the terminal; keys
// append to it or, with Backspace, remove from it; Ctrl+C ends it.
import {readFileSync} from 'node:fs';
import {useState} from 'react';
import {Box, render, Text, useApp, useInput, useStdout} from 'ink';

const initial = readFileSync(process.argv[2] ?? '/dev/null', 'utf8');

/** The last `count` rows of the text, lines cut every `width` characters. */
function lastRows(text: string, width: number, count: number): string[] {
	const rows: string[] = [];
	const lines = text.split('\n');
	for (let index = lines.length - 1; index >= 0 && rows.length < count; index--) {
		const line = lines[index]!;
		const pieces: string[] = [];
		for (let at = 0; at < Math.max(1, line.length); at += width)
			pieces.push(line.slice(at, at + width));
		rows.unshift(...pieces);
	}

	return rows.slice(-count);
}

function OneField() {
	const {exit} = useApp();
	const {stdout} = useStdout();
	const [text, setText] = useState(initial);
	const width = stdout.columns || 80;
	const height = stdout.rows || 24;
	useInput((input, key) => {
		if (key.ctrl && input === 'c') exit();
		else if (key.backspace || key.delete) setText(value => value.slice(0, -1));
		else if (key.return) setText(value => `${value}\n`);
		else if (input) setText(value => value + input);
	});
	const rows = lastRows(text, width - 1, height - 2);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>one field · {text.length} characters</Text>
			{rows.map((row, index) => (
				<Text key={index}>
					{row}
					{index === rows.length - 1 ? <Text inverse> </Text> : null}
				</Text>
			))}
		</Box>
	);
}

render(<OneField />, {exitOnCtrlC: false});
