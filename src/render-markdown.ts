// Markdown drawn for the terminal with marked and marked-terminal: headings, lists, bold,
// tables and code blocks, wrapped to a width, in colour or without any escape sequence.
//
// marked and marked-terminal are loaded on demand: `loadMarkdownRenderer()` imports them
// once. `renderMarkdown()` is synchronous, so that a component can call it while drawing;
// until the modules have loaded it returns the markdown as written.
//
// marked-terminal is used for the layout of headings, paragraphs, lists and quotes. Its code
// blocks, tables and links are replaced here: code blocks are highlighted by guessing their
// language and tables are as wide as their content, which would break box-drawing diagrams
// and the width; links may be written as terminal hyperlinks even without colour.
import type {Marked, MarkedExtension, Tokens} from 'marked';
import {stripAnsi, visibleWidth, wrapAnsi} from './ansi-text.js';
import {wrapLines} from './text-layout.js';

export type MarkdownRenderOptions = {
	/** Columns each line may take; only code lines wider than this are left as they are. */
	readonly width: number;
	/** False for no escape sequences at all, as NO_COLOR asks. */
	readonly color: boolean;
};

type Modules = {
	readonly Marked: new (...extensions: MarkedExtension[]) => Marked;
	readonly markedTerminal: (options: Record<string, unknown>) => MarkedExtension;
};

let modules: Modules | undefined;
let loading: Promise<void> | undefined;

/** Imports marked and marked-terminal once; resolves even when they cannot be loaded. */
export async function loadMarkdownRenderer(): Promise<void> {
	loading ??= Promise.all([import('marked'), import('marked-terminal')]).then(
		([marked, terminal]) => {
			// The published types of marked-terminal describe an older API: its
			// `markedTerminal` returns a marked extension, not a renderer.
			const markedTerminal = (terminal as unknown as Pick<Modules, 'markedTerminal'>)
				.markedTerminal;
			modules = {Marked: marked.Marked, markedTerminal};
		},
		() => {
			// The markdown is shown as written; a failed import is not retried.
		},
	);
	return loading;
}

/** Whether `renderMarkdown` can draw yet. */
export function isMarkdownRendererLoaded(): boolean {
	return modules !== undefined;
}

// Terminal controls other than tab and newline: never passed on from a document.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Marks a line that is drawn as it is (code, tables): never wrapped. A control character,
// so that no document can hold it once controls are removed.
const KEEP = '\u0001';
const TAB_WIDTH = 2;

/** The markdown as written, safe to show: LF line ends, no terminal controls. */
export function cleanMarkdown(markdown: string): string {
	return markdown.replace(/\r\n?/g, '\n').replace(CONTROL, '');
}

/** The markdown drawn for a terminal `width` columns wide; as written until loaded. */
export function renderMarkdown(markdown: string, {width, color}: MarkdownRenderOptions): string {
	const text = cleanMarkdown(markdown);
	if (!modules) return text;
	const columns = Math.max(20, Math.floor(width));
	const drawn = instance(modules, columns, color).parse(text, {async: false});
	const lines = drawn
		.replace(/\n{3,}/g, '\n\n')
		.replace(/^\n+|\s+$/g, '')
		.split('\n')
		.flatMap(line => (line.includes(KEEP) ? [line.replaceAll(KEEP, '')] : wrapped(line, columns)));
	const out = lines.join('\n');
	return color ? out : stripAnsi(out);
}

// Lines wrapped for the last width drawn. The preview is drawn again after each keystroke,
// and all but a few of its lines are the ones drawn the time before.
let wrappedFor = 0;
const wrappedLines = new Map<string, string[]>();

function wrapped(line: string, columns: number): string[] {
	if (columns !== wrappedFor || wrappedLines.size > 4000) {
		wrappedLines.clear();
		wrappedFor = columns;
	}

	let lines = wrappedLines.get(line);
	if (!lines) {
		lines = wrapAnsi(line, columns, hangOf(line));
		wrappedLines.set(line, lines);
	}

	return lines;
}

/** Where a wrapped line's later lines start: under the text of a list item or indent. */
function hangOf(line: string): number {
	const plain = stripAnsi(line);
	const item = /^\s*(?:[*•-]|\d+\.)\s+/.exec(plain);
	return item ? item[0].length : /^\s*/.exec(plain)![0].length;
}

// One parser per width and colour setting, as marked-terminal takes both when created.
const instances = new Map<string, Marked>();

function instance(loaded: Modules, width: number, color: boolean): Marked {
	const key = `${width}:${color}`;
	let made = instances.get(key);
	if (!made) {
		const styles = stylesFor(color);
		made = new loaded.Marked(
			loaded.markedTerminal({
				...styles,
				width,
				reflowText: false,
				emoji: false,
				tab: TAB_WIDTH,
				showSectionPrefix: true,
			}),
			replacements(width, styles),
		);
		instances.set(key, made);
	}

	return made;
}

type Paint = (text: string) => string;
type Styles = Readonly<Record<StyleName, Paint>>;
type StyleName =
	| 'code'
	| 'blockquote'
	| 'html'
	| 'heading'
	| 'firstHeading'
	| 'hr'
	| 'listitem'
	| 'table'
	| 'paragraph'
	| 'strong'
	| 'em'
	| 'codespan'
	| 'del'
	| 'link'
	| 'href'
	| 'text';

const plain: Paint = text => text;

/** A style as SGR codes; a nested close of the same kind reopens it, as in `**a `b` c**`. */
function sgr(open: string, close: string): Paint {
	const start = `\u001B[${open}m`;
	const end = `\u001B[${close}m`;
	return text => `${start}${text.replaceAll(end, end + start)}${end}`;
}

const compose =
	(...paints: readonly Paint[]): Paint =>
	text =>
		paints.reduceRight((done, paint) => paint(done), text);

/** The styles passed to marked-terminal: its own come from chalk, which colours only a TTY. */
function stylesFor(color: boolean): Styles {
	const bold = sgr('1', '22');
	const none: Styles = {
		code: plain,
		blockquote: plain,
		html: plain,
		heading: plain,
		firstHeading: plain,
		hr: plain,
		listitem: plain,
		table: plain,
		paragraph: plain,
		strong: plain,
		em: plain,
		codespan: plain,
		del: plain,
		link: plain,
		href: plain,
		text: plain,
	};
	if (!color) return none;
	return {
		...none,
		heading: compose(bold, sgr('32', '39')),
		firstHeading: compose(bold, sgr('4', '24'), sgr('36', '39')),
		blockquote: compose(sgr('3', '23'), sgr('90', '39')),
		html: sgr('90', '39'),
		strong: bold,
		em: sgr('3', '23'),
		codespan: sgr('33', '39'),
		del: compose(sgr('9', '29'), sgr('2', '22')),
		link: sgr('34', '39'),
		href: compose(sgr('34', '39'), sgr('4', '24')),
	};
}

/** Renderers that take the place of marked-terminal's own (see the top of this file). */
function replacements(width: number, styles: Styles): MarkedExtension {
	return {
		renderer: {
			// The text of a tight list item holds inline tokens that marked-terminal leaves
			// unrendered, so "**Role:**" would show its asterisks.
			text(token) {
				if ('tokens' in token && token.tokens?.length) {
					return this.parser.parseInline(token.tokens);
				}

				return false;
			},
			code(token) {
				const indent = ' '.repeat(TAB_WIDTH);
				const body = token.text
					.replace(CONTROL, '')
					.replace(/\t/g, ' '.repeat(TAB_WIDTH))
					.split('\n')
					.map(line => `${KEEP}${indent}${styles.code(line)}`);
				return `${body.join('\n')}\n\n`;
			},
			table(token) {
				const cell = (item: Tokens.TableCell) => plainText(this.parser.parseInline(item.tokens));
				const header = token.header.map(cell);
				const rows = token.rows.map(row => row.map(cell));
				return `${tableText(header, rows, width, styles.strong)}\n\n`;
			},
			link(token) {
				const text = this.parser.parseInline(token.tokens);
				const shown = stripAnsi(text) === token.href ? '' : `${text} (`;
				return styles.link(`${shown}${styles.href(token.href)}${shown ? ')' : ''}`);
			},
		},
	};
}

/** Inline output as plain text: no styles, entities and marked-terminal's masks undone. */
function plainText(inline: string): string {
	return stripAnsi(inline)
		.replaceAll('*#COLON|*', ':')
		.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? '');
}

const ENTITIES: Readonly<Record<string, string>> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	'#39': "'",
};

/**
 * A table in box-drawing lines no wider than `width`: the widest columns give way first,
 * their cells wrapped. When even one column each cannot fit, each row becomes a list of
 * "Header: value" lines instead.
 */
function tableText(
	header: readonly string[],
	rows: readonly (readonly string[])[],
	width: number,
	bold: Paint = plain,
): string {
	const count = Math.max(header.length, ...rows.map(row => row.length));
	const frame = 3 * count + 1;
	if (count === 0) return '';
	if (width - frame < count) {
		return rows
			.map(row => row.map((value, index) => `${header[index] ?? ''}: ${value}`).join('\n'))
			.join('\n\n');
	}

	const cellAt = (row: readonly string[], index: number) => row[index] ?? '';
	const widths = Array.from({length: count}, (_, index) =>
		Math.max(1, ...[header, ...rows].map(row => visibleWidth(cellAt(row, index)))),
	);
	while (widths.reduce((sum, next) => sum + next, 0) > width - frame) {
		const widest = widths.indexOf(Math.max(...widths));
		widths[widest] = widths[widest]! - 1;
	}

	const rule = (left: string, middle: string, right: string) =>
		KEEP + left + widths.map(size => '─'.repeat(size + 2)).join(middle) + right;
	const lines = (row: readonly string[], paint: Paint) => {
		const cells = widths.map((size, index) => wrapLines(cellAt(row, index), size));
		const height = Math.max(...cells.map(cell => cell.length));
		return Array.from({length: height}, (_, line) => {
			const parts = cells.map((cell, index) => {
				const text = cell[line] ?? '';
				const pad = ' '.repeat(widths[index]! - visibleWidth(text));
				return `${text ? paint(text) : ''}${pad}`;
			});
			return `${KEEP}│ ${parts.join(' │ ')} │`;
		});
	};

	return [
		rule('┌', '┬', '┐'),
		...lines(header, bold),
		rule('├', '┼', '┤'),
		...rows.flatMap(row => lines(row, plain)),
		rule('└', '┴', '┘'),
	].join('\n');
}
