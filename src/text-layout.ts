import {cachedWidth, graphemes, textWidth} from './graphemes.js';

/** Text broken into lines no wider than `width` columns, at spaces where possible. */
export function wrapLines(text: string, width: number): string[] {
	const out: string[] = [];
	for (const line of text.split('\n')) {
		if (textWidth(line) <= width) {
			out.push(line);
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
