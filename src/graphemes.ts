// Graphemes and column widths of text drawn on every frame, without the per-character cost
// of Intl.Segmenter and string-width where the text makes them unnecessary.
import stringWidth from 'string-width';

let segmenter: Intl.Segmenter | undefined;

/**
 * The one grapheme segmenter, made on first use: the first Intl.Segmenter of a process loads
 * ICU's break rules, some 9 ms, and text that is plain enough never needs it.
 */
export function graphemeSegmenter(): Intl.Segmenter {
	return (segmenter ??= new Intl.Segmenter(undefined, {granularity: 'grapheme'}));
}

/** Printable ASCII only: one grapheme and one column per character. */
export const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

// Ranges of characters between which a grapheme boundary always falls: none of them
// extends, joins or prepends. Printable ASCII, most of Latin, Greek and Cyrillic, general
// punctuation, arrows, box drawing, geometric shapes and the CJK ideographs; the same ranges
// as the build's ONE_GRAPHEME_RANGES with the ideographs added: no combining marks, zero-width
// or format characters.
export const PLAIN_RANGES: readonly (readonly [number, number])[] = [
	[0x20, 0x7e],
	[0xa0, 0xa8],
	[0xaa, 0xac],
	[0xaf, 0x2ff],
	[0x370, 0x482],
	[0x2010, 0x2027],
	[0x2030, 0x203b],
	[0x203d, 0x2048],
	[0x204a, 0x205e],
	[0x2190, 0x2193],
	[0x219a, 0x21a8],
	[0x21ab, 0x21ff],
	[0x2500, 0x25a9],
	[0x25ac, 0x25b5],
	[0x25b7, 0x25bf],
	[0x25c1, 0x25fa],
	[0x4e00, 0x9fff],
];
const plainBelow = new Uint8Array(0x2600);
for (const [first, last] of PLAIN_RANGES) {
	if (last < plainBelow.length) plainBelow.fill(1, first, last + 1);
}

// Whether a grapheme boundary always falls between two characters of this kind.
function isPlain(code: number): boolean {
	return code < 0x2600 ? plainBelow[code] === 1 : code >= 0x4e_00 && code <= 0x9f_ff;
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

		for (const {segment, index} of graphemeSegmenter().segment(text.slice(at, end))) {
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
