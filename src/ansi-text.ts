// Text that may hold ANSI escape sequences, measured, cut and wrapped by the columns it
// takes on screen: escape sequences take none, wide characters take two.
import stringWidth from 'string-width';
import {graphemeSegmenter} from './graphemes.js';

// SGR (colour and style) and other CSI sequences, and OSC sequences such as hyperlinks.
const ESCAPE = /\u001B\[[0-?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)/g;
const RESET = '\u001B[0m';

/** The text without escape sequences. */
export function stripAnsi(text: string): string {
	return text.replace(ESCAPE, '');
}

// Printable ASCII takes one column a character; string-width is slow to say so.
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;

/** Columns the text takes on screen. */
export function visibleWidth(text: string): number {
	const plain = stripAnsi(text);
	return PRINTABLE_ASCII.test(plain) ? plain.length : stringWidth(plain);
}

type Piece =
	| {readonly escape: string}
	| {readonly grapheme: string; readonly width: number; readonly run?: true};

const SPACE: Piece = {grapheme: ' ', width: 1};

/**
 * Escape sequences and graphemes, in order. With `runs`, printable ASCII comes as runs of
 * characters other than spaces (each its own grapheme, one column each) and single spaces:
 * the many short-lived objects of one piece per character are what wrapping a long preview
 * on every keystroke spent most of its time on.
 */
function pieces(text: string, runs = false): Piece[] {
	const out: Piece[] = [];
	let last = 0;
	const pushText = (part: string) => {
		if (PRINTABLE_ASCII.test(part)) {
			if (runs) {
				let at = 0;
				while (at < part.length) {
					if (part.charCodeAt(at) === 32) {
						out.push(SPACE);
						at++;
						continue;
					}

					const end = part.indexOf(' ', at);
					const run = part.slice(at, end === -1 ? part.length : end);
					out.push({grapheme: run, width: run.length, run: true});
					at += run.length;
				}
			} else {
				for (const char of part) out.push({grapheme: char, width: 1});
			}

			return;
		}

		for (const {segment} of graphemeSegmenter().segment(part)) {
			out.push({grapheme: segment, width: stringWidth(segment)});
		}
	};

	for (const match of text.matchAll(ESCAPE)) {
		pushText(text.slice(last, match.index));
		out.push({escape: match[0]});
		last = (match.index ?? 0) + match[0].length;
	}

	pushText(text.slice(last));
	return out;
}

/** The pieces with every run of ASCII characters cut into its characters. */
function singleGraphemes(word: readonly Piece[]): Piece[] {
	return word.flatMap(piece =>
		'run' in piece ? [...piece.grapheme].map(char => ({grapheme: char, width: 1})) : [piece],
	);
}

// What each SGR code turns on, and what each closing code turns off.
const OPENS: Readonly<Record<number, string>> = {
	1: 'weight',
	2: 'weight',
	3: 'italic',
	4: 'underline',
	5: 'blink',
	7: 'inverse',
	8: 'hidden',
	9: 'strike',
};
const CLOSES: Readonly<Record<number, string>> = {
	22: 'weight',
	23: 'italic',
	24: 'underline',
	25: 'blink',
	27: 'inverse',
	28: 'hidden',
	29: 'strike',
	39: 'fg',
	49: 'bg',
};

/**
 * The styles in force after a run of SGR sequences, by what they set (weight, italic,
 * colour…), so that a line cut or wrapped can close them and the next line reopen them.
 */
class Style {
	private readonly slots = new Map<string, string>();

	apply(escape: string): void {
		const match = /^\u001B\[([\d;]*)m$/.exec(escape);
		if (!match) return;
		const codes = match[1] === '' ? [0] : match[1]!.split(';').map(Number);
		for (let index = 0; index < codes.length; index++) {
			const code = codes[index]!;
			if (code === 38 || code === 48) {
				// Extended colour: 38;5;n or 38;2;r;g;b.
				const length = codes[index + 1] === 5 ? 3 : 5;
				const slot = code === 38 ? 'fg' : 'bg';
				this.slots.set(slot, codes.slice(index, index + length).join(';'));
				index += length - 1;
				continue;
			}

			this.set(code);
		}
	}

	private set(code: number): void {
		const opened = OPENS[code];
		const closed = CLOSES[code];
		if (code === 0) this.slots.clear();
		else if (opened) this.slots.set(opened, String(code));
		else if (closed) this.slots.delete(closed);
		else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) {
			this.slots.set('fg', String(code));
		} else if ((code >= 40 && code <= 47) || (code >= 100 && code <= 107)) {
			this.slots.set('bg', String(code));
		}
	}

	/** Whether any style is in force. */
	get active(): boolean {
		return this.slots.size > 0;
	}

	/** One sequence that sets every style in force again. */
	reopen(): string {
		return this.active ? `\u001B[${[...this.slots.values()].join(';')}m` : '';
	}
}

/**
 * The text cut to `width` columns, escape sequences kept, styles closed at the cut. With
 * `ellipsis`, a cut line ends in "…" within the width.
 */
export function truncateAnsi(text: string, width: number, ellipsis = false): string {
	if (visibleWidth(text) <= width) return text;
	const room = ellipsis ? width - 1 : width;
	const style = new Style();
	let out = '';
	let used = 0;
	for (const piece of pieces(text)) {
		if ('escape' in piece) {
			out += piece.escape;
			style.apply(piece.escape);
			continue;
		}

		if (used + piece.width > room) break;
		out += piece.grapheme;
		used += piece.width;
	}

	return `${out}${ellipsis && width > 0 ? '…' : ''}${style.active ? RESET : ''}`;
}

/**
 * The line broken at spaces into lines of at most `width` columns; later lines are indented
 * by `hang` columns. A word longer than a line is broken between graphemes. Each line
 * stands alone: styles in force at a break are closed at the end of the line and opened
 * again after the indent of the next.
 */
export function wrapAnsi(text: string, width: number, hang = 0): string[] {
	if (visibleWidth(text) <= width) return [text];
	const indent = ' '.repeat(Math.min(hang, Math.max(0, width - 1)));
	const lines: string[] = [];
	const style = new Style();
	let line = '';
	let used = 0;
	let spaces = 0;
	let word: Piece[] = [];
	let wordWidth = 0;

	const breakLine = () => {
		lines.push(line.trimEnd() + (style.active ? RESET : ''));
		line = indent + style.reopen();
		used = indent.length;
		spaces = 0;
	};

	const append = (piece: Piece) => {
		if ('escape' in piece) {
			line += piece.escape;
			style.apply(piece.escape);
		} else {
			line += piece.grapheme;
			used += piece.width;
		}
	};

	const placeWord = () => {
		const atStart = used <= indent.length;
		if (!atStart && wordWidth > 0 && used + spaces + wordWidth > width) breakLine();
		line += ' '.repeat(spaces);
		used += spaces;
		spaces = 0;
		const fits = used + wordWidth <= width;
		for (const piece of fits ? word : singleGraphemes(word)) {
			// A word too long for any line is broken between graphemes.
			const overflows = !('escape' in piece) && used + piece.width > width;
			if (!fits && overflows && used > indent.length) breakLine();
			append(piece);
		}

		word = [];
		wordWidth = 0;
	};

	for (const piece of pieces(text, true)) {
		if ('grapheme' in piece && piece.grapheme === ' ') {
			placeWord();
			spaces += 1;
			continue;
		}

		word.push(piece);
		if ('grapheme' in piece) wordWidth += piece.width;
	}

	placeWord();
	lines.push(line.trimEnd() + (style.active ? RESET : ''));
	return lines;
}
