import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** Text broken into lines no wider than `width` columns, at spaces where possible. */
export function wrapLines(text: string, width: number): string[] {
	const out: string[] = [];
	for (const line of text.split('\n')) {
		if (stringWidth(line) <= width) {
			out.push(line);
			continue;
		}

		let current = '';
		let currentWidth = 0;
		for (const word of line.split(/(?<= )/)) {
			const wordWidth = stringWidth(word);
			if (currentWidth + wordWidth <= width) {
				current += word;
				currentWidth += wordWidth;
				continue;
			}

			if (current) out.push(current.trimEnd());
			current = '';
			currentWidth = 0;
			// A word longer than the line is cut by graphemes.
			for (const {segment} of segmenter.segment(word)) {
				const w = stringWidth(segment);
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
	if (stringWidth(text) <= width) return text;
	let out = '';
	let used = 0;
	for (const {segment} of segmenter.segment(text)) {
		const w = stringWidth(segment);
		if (used + w > width - 1) break;
		out += segment;
		used += w;
	}

	return `${out}…`;
}
