// Raw terminal input to editing keys. A chunk read from a terminal in raw mode may hold
// several keys at once (fast typing, tmux send-keys, a paste); every one of them is kept,
// in order. Anything the terminal would act on if echoed back (escape sequences, control
// strings, C0 and C1 controls) never becomes text.

/** A key that moves the cursor or edits, with no text of its own. */
export type KeyName =
	| 'enter'
	| 'tab'
	| 'backspace'
	| 'delete'
	| 'left'
	| 'right'
	| 'up'
	| 'down'
	| 'home'
	| 'end'
	| 'docStart'
	| 'docEnd'
	| 'wordLeft'
	| 'wordRight'
	| 'deleteWordBefore'
	| 'deleteWordAfter'
	| 'deleteToLineStart'
	| 'deleteToLineEnd'
	| 'submit'
	| 'escape'
	| 'backtab'
	| 'pageUp'
	| 'pageDown'
	| 'rowUp'
	| 'rowDown';

/**
One decoded key. `text` is typed printable text (never a control character); `paste` is a
pasted block whose line breaks are all `\n` and which may hold tabs, nothing else.
*/
export type Key =
	| {readonly type: 'text'; readonly text: string}
	| {readonly type: 'paste'; readonly text: string}
	/** A Ctrl+letter with no editing meaning, left to the screen (Ctrl+N, Ctrl+O…). */
	| {readonly type: 'ctrl'; readonly letter: string}
	| {readonly type: KeyName};

/** A stateful decoder for input that arrives in pieces (a bracketed paste spans reads). */
export type KeyReader = {
	/** Decodes one piece of input into keys. */
	readonly push: (piece: string) => Key[];
	/** Forgets an unterminated control string or charset designation: the chunk ended. */
	readonly endChunk: () => void;
	/** Whether the reader is inside a control string or charset designation. */
	readonly isInSequence: () => boolean;
};

const ESC = 0x1b;
const PASTE_START = '200~';
const PASTE_END = '201~';

// Single control characters typed as keys. Everything else below 0x20, and DEL, is dropped.
const controlKeys: Readonly<Record<string, KeyName>> = {
	'\u0001': 'home',
	'\u0002': 'left',
	'\u0004': 'submit',
	'\u0005': 'end',
	'\u0006': 'right',
	'\u0008': 'backspace',
	'\t': 'tab',
	'\n': 'enter',
	'\u000B': 'deleteToLineEnd',
	'\r': 'enter',
	'\u0015': 'deleteToLineStart',
	'\u0017': 'deleteWordBefore',
	'\u007F': 'backspace',
};

// ESC followed by one character: what terminals send for Alt (Meta) plus that key.
const altKeys: Readonly<Record<string, KeyName>> = {
	b: 'wordLeft',
	f: 'wordRight',
	d: 'deleteWordAfter',
	'\u007F': 'deleteWordBefore',
	'\u0008': 'deleteWordBefore',
	'\r': 'submit',
};

// Final letters of CSI (ESC [) and SS3 (ESC O) key sequences.
const letterKeys: Readonly<Record<string, KeyName>> = {
	A: 'up',
	B: 'down',
	C: 'right',
	D: 'left',
	H: 'home',
	F: 'end',
	Z: 'backtab',
};

// rxvt sends ESC O a..d for Ctrl plus an arrow.
const rxvtKeys: Readonly<Record<string, KeyName>> = {
	c: 'wordRight',
	d: 'wordLeft',
};

// ESC [ n ~ keys.
const tildeKeys: Readonly<Record<string, KeyName>> = {
	'1': 'home',
	'3': 'delete',
	'4': 'end',
	'5': 'pageUp',
	'6': 'pageDown',
	'7': 'home',
	'8': 'end',
};

// A key pressed with Alt, Ctrl or Meta held turns into its word-sized or document-sized twin.
const modifiedKeys: Readonly<Partial<Record<KeyName, KeyName>>> = {
	left: 'wordLeft',
	right: 'wordRight',
	home: 'docStart',
	end: 'docEnd',
	delete: 'deleteWordAfter',
	backspace: 'deleteWordBefore',
	up: 'rowUp',
	down: 'rowDown',
};

// What ends a control string: BEL, CAN, SUB and the 8-bit string terminator.
const STRING_ENDS = '\u0007\u0018\u001A\u009C';
// 8-bit introducers of DCS, SOS, OSC, PM and APC.
const STRING_STARTS_C1: readonly number[] = [0x90, 0x98, 0x9d, 0x9e, 0x9f];

const isBetween = (code: number, low: number, high: number) => code >= low && code <= high;
const isControl = (code: number) => code < 0x20 || (code >= 0x7f && code <= 0x9f);
const isSurrogate = (code: number) => code >= 0xd8_00 && code <= 0xdf_ff;

// A run holds a line break with printable text after it: typed keys never look like that,
// so it is a paste from a terminal that does not bracket pastes.
const PASTED_BLOCK = /[\r\n\u2028\u2029][\s\S]*[^\u0000-\u001F\u007F]/;

/** Maps the key in one CSI body (the part after ESC [) to a key name, if it is one we know. */
function csiKey(body: string): KeyName | undefined {
	const match = /^(\d*)(?:;(\d+))?([A-Za-z~])$/.exec(body);
	if (!match) {
		return undefined;
	}

	const [, first = '', modifierText, final = ''] = match;
	const isLetterKey = final !== '~' && (first === '' || first === '1');
	const name = final === '~' ? tildeKeys[first] : isLetterKey ? letterKeys[final] : undefined;
	if (!name) {
		return undefined;
	}

	// xterm encodes modifiers as 1 + bits: 1 Shift, 2 Alt, 4 Ctrl, 8 Meta. Shift alone changes
	// nothing here (there is no selection).
	const modifiers = modifierText === undefined ? 0 : Number(modifierText) - 1;

	return (modifiers & 0b1110) === 0 ? name : (modifiedKeys[name] ?? name);
}

/** Options of `createKeyReader`. */
export type KeyReaderOptions = {
	/**
	 * The terminal marks pastes (bracketed paste mode is on), so unmarked input is typing:
	 * a line break followed by text in one chunk is Enter and more keys, as when keys queue up
	 * in a shared tmux session, not a paste. @default false
	 */
	readonly bracketedPaste?: boolean;
};

/** Creates a decoder that keeps paste and control-string state between pieces. */
export function createKeyReader(options: KeyReaderOptions = {}): KeyReader {
	const guessPastes = !options.bracketedPaste;
	let mode: 'text' | 'string' | 'charset' = 'text';
	let pasting = false;
	let pasteEndsWithCr = false;

	const push = (piece: string): Key[] => {
		const keys: Key[] = [];

		const add = (key: Key) => {
			const last = keys.at(-1);
			if (last && 'text' in key && last.type === key.type && 'text' in last) {
				keys[keys.length - 1] = {type: key.type, text: last.text + key.text};
				return;
			}

			keys.push(key);
		};

		const addNamed = (name: KeyName | undefined) => {
			if (name && !pasting) {
				add({type: name});
			}
		};

		const addPasted = (run: string) => {
			let text = run;
			if (pasteEndsWithCr && text.startsWith('\n')) {
				text = text.slice(1);
			}

			pasteEndsWithCr = pasting && text.endsWith('\r');
			const clean = cleanPasted(text);
			if (clean !== '') {
				add({type: 'paste', text: clean});
			}
		};

		// Skips a control string (OSC, DCS, APC, PM, SOS) up to its terminator.
		const skipString = (index: number): number => {
			for (let at = index; at < piece.length; at++) {
				const char = piece[at];
				if (char !== undefined && STRING_ENDS.includes(char)) {
					mode = 'text';
					return at + 1;
				}

				if (char === '\u001B') {
					mode = 'text';
					return piece[at + 1] === '\\' ? at + 2 : at;
				}
			}

			return piece.length;
		};

		// Skips the rest of a charset designation such as ESC ( B.
		const skipCharset = (index: number): number => {
			let at = index;
			while (at < piece.length && isBetween(piece.charCodeAt(at), 0x20, 0x2f)) {
				at++;
			}

			if (at >= piece.length) {
				return at;
			}

			mode = 'text';
			const code = piece.charCodeAt(at);

			return code >= 0x30 && code <= 0x7e ? at + 1 : at;
		};

		// Reads a CSI sequence whose parameters start at `index`.
		const readCsi = (index: number): number => {
			let at = piece[index] === '[' ? index + 1 : index;
			while (at < piece.length && isBetween(piece.charCodeAt(at), 0x20, 0x3f)) {
				at++;
			}

			if (at >= piece.length) {
				return at;
			}

			const code = piece.charCodeAt(at);
			if (code < 0x40 || code > 0x7e) {
				return at;
			}

			const body = piece.slice(index, at + 1);
			if (body === PASTE_START) {
				pasting = true;
				pasteEndsWithCr = false;
			} else if (body === PASTE_END) {
				pasting = false;
			} else {
				addNamed(csiKey(body));
			}

			return at + 1;
		};

		// Reads an escape sequence starting at `index` (an ESC); `alt` when ESC came twice.
		const readEscape = (index: number, alt: boolean): number => {
			const next = piece[index + 1];
			if (next === undefined) {
				// A lone ESC is the Escape key; inside a paste that never ended it ends the paste.
				if (pasting) {
					pasting = false;
				} else {
					add({type: 'escape'});
				}

				return index + 1;
			}

			if (next === '[' || next === 'O') {
				const before = keys.length;
				let end: number;
				if (next === '[') {
					end = readCsi(index + 2);
				} else {
					const final = piece[index + 2] ?? '';
					addNamed(letterKeys[final] ?? rxvtKeys[final]);
					end = Math.min(index + 3, piece.length);
				}

				const last = keys.at(-1);
				if (alt && keys.length > before && last && !('text' in last) && last.type !== 'ctrl') {
					keys[keys.length - 1] = {type: modifiedKeys[last.type] ?? last.type};
				}

				return end;
			}

			if (next === '\u001B' && !alt) {
				return readEscape(index + 1, true);
			}

			if (']PX^_'.includes(next)) {
				mode = 'string';
				return index + 2;
			}

			const code = piece.charCodeAt(index + 1);
			if (code >= 0x20 && code <= 0x2f) {
				mode = 'charset';
				return skipCharset(index + 1);
			}

			addNamed(altKeys[next]);

			return index + 1 + (isSurrogate(code) && code < 0xdc_00 ? 2 : 1);
		};

		// Reads an 8-bit C1 control: CSI and control-string introducers open a sequence.
		const readC1 = (index: number): number => {
			const code = piece.charCodeAt(index);
			if (code === 0x9b) {
				return readCsi(index + 1);
			}

			if (STRING_STARTS_C1.includes(code)) {
				mode = 'string';
			}

			return code === 0x8f ? Math.min(index + 2, piece.length) : index + 1;
		};

		// Reads printable text and single control characters up to the next escape.
		const readRun = (run: string) => {
			if (pasting || (guessPastes && PASTED_BLOCK.test(run))) {
				addPasted(run);
				return;
			}

			let text = '';
			const flush = () => {
				if (text !== '') {
					add({type: 'text', text});
					text = '';
				}
			};

			for (let at = 0; at < run.length; at++) {
				const char = run[at] ?? '';
				const code = run.charCodeAt(at);
				if (!isControl(code)) {
					if (!isSurrogate(code)) {
						text += char;
					} else if (code < 0xdc_00 && isLowSurrogate(run.charCodeAt(at + 1))) {
						text += char + (run[at + 1] ?? '');
						at++;
					}

					continue;
				}

				flush();
				const named = controlKeys[char];
				if (named) addNamed(named);
				else if (code >= 1 && code <= 26 && !pasting) {
					add({type: 'ctrl', letter: String.fromCharCode(code + 96)});
				}

				if (char === '\r' && run[at + 1] === '\n') {
					at++;
				}
			}

			flush();
		};

		let index = 0;
		while (index < piece.length) {
			if (mode === 'string') {
				index = skipString(index);
				continue;
			}

			if (mode === 'charset') {
				index = skipCharset(index);
				continue;
			}

			const code = piece.charCodeAt(index);
			if (code === ESC) {
				index = readEscape(index, false);
				continue;
			}

			if (code >= 0x80 && code <= 0x9f) {
				index = readC1(index);
				continue;
			}

			let end = index;
			while (end < piece.length) {
				const endCode = piece.charCodeAt(end);
				if (endCode === ESC || (endCode >= 0x80 && endCode <= 0x9f)) {
					break;
				}

				end++;
			}

			readRun(piece.slice(index, end));
			index = end;
		}

		return keys;
	};

	return {
		push,
		endChunk() {
			mode = 'text';
		},
		isInSequence: () => mode !== 'text',
	};
}

const isLowSurrogate = (code: number) => code >= 0xdc_00 && code <= 0xdf_ff;

/** Pasted text with CRLF and CR as `\n`, tabs kept, other controls and lone halves dropped. */
function cleanPasted(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, '')
		.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

/** Splits one raw chunk of terminal input into the keys it holds, in order. */
export function splitInput(chunk: string, options: KeyReaderOptions = {}): Key[] {
	return createKeyReader(options).push(chunk);
}

/**
Text safe to keep in a value: escape sequences and control strings removed, CRLF and CR
turned into `\n`, tabs kept, every other control character dropped.
*/
export function sanitizeText(text: string): string {
	const reader = createKeyReader();
	let clean = '';
	for (const key of reader.push(`\u001B[${PASTE_START}${text}`)) {
		if (key.type === 'text' || key.type === 'paste') {
			clean += key.text;
		} else if (key.type === 'enter') {
			clean += '\n';
		} else if (key.type === 'tab') {
			clean += '\t';
		}
	}

	return clean;
}
