import {cachedWidth, graphemes, PRINTABLE_ASCII, textWidth} from './graphemes.js';

/** Text broken into lines no wider than `width` columns, at spaces where possible. */
export function wrapLines(text: string, width: number): string[] {
	const out: string[] = [];
	for (const line of text.split('\n')) {
		if (textWidth(line) <= width) {
			out.push(line);
			continue;
		}

		if (PRINTABLE_ASCII.test(line)) {
			wrapPlain(line, width, out);
			continue;
		}

		let current = '';
		let currentWidth = 0;
		for (const word of line.split(/(?<= )/)) {
			const wordWidth = textWidth(word);
			if (currentWidth + wordWidth <= width) {
				current += word;
				currentWidth += wordWidth;
				continue;
			}

			if (current) out.push(current.trimEnd());
			current = '';
			currentWidth = 0;
			// A word longer than the line is cut by graphemes.
			for (const {segment} of graphemes(word)) {
				const w = cachedWidth(segment);
				if (currentWidth + w > width) {
					out.push(current);
					current = '';
					currentWidth = 0;
				}

				current += segment;
				currentWidth += w;
			}
		}

		out.push(current.trimEnd());
	}

	return out;
}

/**
 * `wrapLines` for one line of printable ASCII, where a character is a column: the same
 * breaks, found by position instead of by splitting the line into words.
 */
function wrapPlain(line: string, width: number, out: string[]): void {
	// The line being filled is always line.slice(from, to).
	let from = 0;
	let to = 0;
	while (to < line.length) {
		const space = line.indexOf(' ', to);
		const end = space === -1 ? line.length : space + 1;
		if (to - from + (end - to) <= width) {
			to = end;
			continue;
		}

		if (to > from) out.push(line.slice(from, to).trimEnd());
		// A word longer than the line is cut.
		from = to;
		for (; to < end; to++) {
			if (to - from + 1 > width) {
				out.push(line.slice(from, to));
				from = to;
			}
		}
	}

	out.push(line.slice(from, to).trimEnd());
}

/** Text cut to `width` columns, with an ellipsis when cut. */
export function truncate(text: string, width: number): string {
	if (textWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const {segment} of graphemes(text)) {
		const w = cachedWidth(segment);
		if (used + w > width - 1) break;
		out += segment;
		used += w;
	}

	return `${out}…`;
}
