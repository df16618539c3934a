// Graphemes and column widths of text drawn on every frame, without the per-character cost
// of Intl.Segmenter and string-width where the text makes them unnecessary.
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, {granularity: 'grapheme'});

/** Printable ASCII only: one grapheme and one column per character. */
export const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

// Whether a grapheme boundary always falls between two characters of this kind: printable
// ASCII and CJK ideographs join nothing before or after them.
function isPlain(code: number): boolean {
	return (code >= 0x20 && code <= 0x7e) || (code >= 0x4e_00 && code <= 0x9f_ff);
}

/**
The graphemes of a text with their offsets. Intl.Segmenter takes a microsecond or more per
segment, and its walk over one long string slows with the square of the length, so only
what needs it is segmented: a plain character followed by another plain one is a grapheme
on its own, and everything between two such pairs is segmented as one short piece.
*/
export function* graphemes(text: string): Generator<{segment: string; index: number}> {
	let at = 0;
	while (at < text.length) {
		if (
			isPlain(text.charCodeAt(at)) &&
			(at + 1 === text.length || isPlain(text.charCodeAt(at + 1)))
		) {
			yield {segment: text[at]!, index: at};
			at++;
			continue;
		}

		// Up to the next certain boundary: two plain characters in a row, or the end.
		let end = at + 1;
		while (
			end < text.length &&
			!(isPlain(text.charCodeAt(end - 1)) && isPlain(text.charCodeAt(end)))
		) {
			end++;
		}

		for (const {segment, index} of segmenter.segment(text.slice(at, end))) {
			yield {segment, index: at + index};
		}

		at = end;
	}
}

const widths = new Map<string, number>();

/** `stringWidth` of one grapheme, remembered: the same few recur on every frame. */
export function cachedWidth(grapheme: string): number {
	let known = widths.get(grapheme);
	if (known === undefined) {
		known = stringWidth(grapheme);
		if (widths.size >= 4096) {
			widths.clear();
		}

		widths.set(grapheme, known);
	}

	return known;
}

/** Columns a text takes, as `stringWidth` counts them. */
export function textWidth(text: string): number {
	if (PRINTABLE_ASCII.test(text)) return text.length;
	// Escape sequences are not drawn; string-width knows how to leave them out.
	if (/[\u001B\u009B]/.test(text)) return stringWidth(text);
	let width = 0;
	for (const {segment} of graphemes(text)) width += cachedWidth(segment);
	return width;
}
