// An architecture's components and connections as Mermaid source, and as box-drawing art
// drawn from that source by beautiful-mermaid.
//
// beautiful-mermaid is large, so it is loaded on demand: `loadDiagramRenderer()` imports it
// once and keeps it. `renderDiagram()` stays synchronous, so that a step's markdown can call
// it: it draws with the loaded module, and draws the plain `diagramText()` until the module
// has loaded (or when it cannot be loaded, throws, or draws wider than asked). Anything that
// stores or exports markdown should await `loadDiagramRenderer()` first.
import stringWidth from 'string-width';
import type {Architecture, Connection} from './architecture.js';
import {diagramText} from './diagram.js';
import {wrapLines} from '../src/text-layout.js';
import {graphemeSegmenter} from '../src/graphemes.js';

type Parts = Pick<Architecture, 'components' | 'connections'>;

/** The part of beautiful-mermaid this module uses. */
export type MermaidRenderer = {
	readonly renderMermaidASCII: (
		text: string,
		options?: {
			readonly paddingX?: number;
			readonly paddingY?: number;
			readonly colorMode?: 'none';
		},
	) => string;
};

/** What drew the art, and why the plain diagram was used when it was. */
export type DiagramArt = {
	readonly text: string;
	readonly drawnBy: 'mermaid' | 'plain';
	/** Why the plain diagram was drawn instead. */
	readonly fallback?: 'not-loaded' | 'error' | 'too-wide';
};

export type DiagramOptions = {
	/** Widest line allowed, in terminal columns. */
	readonly maxWidth: number;
};

let loaded: MermaidRenderer | undefined;
let loading: Promise<void> | undefined;

/** Imports beautiful-mermaid once; resolves even when it cannot be loaded. */
export async function loadDiagramRenderer(): Promise<void> {
	loading ??= import('beautiful-mermaid').then(
		module => {
			loaded = module;
		},
		() => {
			// The plain diagram stands in; a failed import is not retried.
		},
	);
	return loading;
}

/** Whether `renderDiagram` can draw with beautiful-mermaid yet. */
export function isDiagramRendererLoaded(): boolean {
	return loaded !== undefined;
}

/** The components and connections as a top-down Mermaid flowchart. */
export function mermaidSource(architecture: Parts): string {
	return flowchart(architecture, name => [name], entityEscaped);
}

// Recent drawings by source and width: a live preview redraws on every key.
const drawings = new Map<string, string>();
const KEPT_DRAWINGS = 32;

/** Box-drawing art of the architecture, no wider than `maxWidth` when it can be drawn so. */
export function renderDiagram(architecture: Parts, options: DiagramOptions): string {
	if (!loaded) return drawDiagram(undefined, architecture, options).text;
	const key = `${options.maxWidth}\n${mermaidSource(architecture)}`;
	const known = drawings.get(key);
	if (known !== undefined) return known;
	const {text} = drawDiagram(loaded, architecture, options);
	if (drawings.size >= KEPT_DRAWINGS) drawings.delete(drawings.keys().next().value!);
	drawings.set(key, text);
	return text;
}

// Attempts from roomiest to most compact; a narrower horizontal gap than 3 lets edges run
// into box borders.
const attempts = [
	{paddingX: 5, wrapAt: undefined},
	{paddingX: 3, wrapAt: undefined},
	{paddingX: 3, wrapAt: 24},
	{paddingX: 3, wrapAt: 14},
] as const;

/**
 * The art drawn with the given renderer, or the plain diagram when there is none, when it
 * throws, or when no attempt fits in `maxWidth` columns. Never throws.
 */
export function drawDiagram(
	renderer: MermaidRenderer | undefined,
	architecture: Parts,
	{maxWidth}: DiagramOptions,
): DiagramArt {
	const plain = (fallback: DiagramArt['fallback']): DiagramArt => ({
		text: diagramText(architecture),
		drawnBy: 'plain',
		fallback,
	});
	if (!renderer) return plain('not-loaded');
	if (architecture.components.length === 0) return plain('error');
	// beautiful-mermaid draws a connection from a component to itself as a line to nowhere,
	// so such loops are listed under the art instead.
	const isLoop = (connection: Connection) =>
		connection.from.toLowerCase() === connection.to.toLowerCase();
	const drawable = {
		components: architecture.components,
		connections: architecture.connections.filter(connection => !isLoop(connection)),
	};
	const loops = architecture.connections.filter(isLoop).map(loop => loopLine(architecture, loop));
	try {
		for (const {paddingX, wrapAt} of attempts) {
			const glyphs = new GlyphTable();
			const split = (text: string) => (wrapAt ? wrapLines(text, wrapAt) : [text]);
			const source = flowchart(drawable, split, text => glyphs.encode(text));
			const drawn = renderer.renderMermaidASCII(source, {paddingX, colorMode: 'none'});
			const art = tidy(glyphs.decode(drawn));
			if (art === '') return plain('error');
			const text = loops.length > 0 ? `${art}\n\n${loops.join('\n')}` : art;
			if (widest(text) <= maxWidth) return {text, drawnBy: 'mermaid'};
		}

		return plain('too-wide');
	} catch {
		return plain('error');
	}
}

/**
 * Flowchart source: a node per component (ids n0, n1… in component order), then an edge per
 * connection. An end that names no component gets a node of its own. `split` breaks a label
 * into lines and `escape` makes one line safe inside double quotes.
 */
function flowchart(
	architecture: Parts,
	split: (text: string) => string[],
	escape: (text: string) => string,
): string {
	const ids = new Map<string, string>();
	const rows = ['flowchart TD'];
	const label = (text: string) => `"${split(text).map(escape).join('<br>')}"`;
	const nodeOf = (name: string): string => {
		const key = name.toLowerCase();
		let id = ids.get(key);
		if (id === undefined) {
			id = `n${ids.size}`;
			ids.set(key, id);
			rows.push(`\t${id}[${label(name)}]`);
		}

		return id;
	};

	for (const component of architecture.components) nodeOf(component.name);
	for (const {from, to, label: text} of architecture.connections) {
		const arrow = text ? `-->|${label(text)}|` : '-->';
		rows.push(`\t${nodeOf(from)} ${arrow} ${nodeOf(to)}`);
	}

	return rows.join('\n');
}

/** `Worker ──▶ Worker (retry)`, the name spelled as its component is. */
function loopLine(architecture: Parts, loop: Connection): string {
	const key = loop.from.toLowerCase();
	const name =
		architecture.components.find(item => item.name.toLowerCase() === key)?.name ?? loop.from;
	return `${name} ──▶ ${name}${loop.label ? ` (${loop.label})` : ''}`;
}

/** Text safe inside a quoted Mermaid label: markup characters as `#code;` entities. */
function entityEscaped(text: string): string {
	return text.replace(/[#"|<>&`\\[\]{}*~]/g, char => `#${char.codePointAt(0)};`);
}

// Private-use code points stand in for characters while beautiful-mermaid lays the
// diagram out: its parser has no entity codes, stops a label at the first `]` or `|`,
// reads `*`, `~` and `<br>` as formatting, gives every UTF-16 unit one column, and lets the
// line under an edge label show through the label's spaces.
const FIRST_GLYPH = 0xe000;
const LAST_GLYPH = 0xf8fe;
const FILLER = '\uf8ff';
const plainCharacter = /^[A-Za-z0-9.,:;()/'+?!=@$-]$/;

/**
 * Maps each grapheme that is not plain ASCII to one private-use character, followed by one
 * filler per extra column it takes, so that the layout gives it its real width; `decode`
 * puts the graphemes back.
 */
class GlyphTable {
	private readonly codes = new Map<string, string>();
	private readonly graphemes = new Map<string, string>();

	encode(text: string): string {
		let out = '';
		for (const {segment} of graphemeSegmenter().segment(text.normalize('NFC'))) {
			if (plainCharacter.test(segment)) {
				out += segment;
				continue;
			}

			const width = stringWidth(segment);
			if (width === 0) continue;
			out += this.codeOf(segment) + FILLER.repeat(width - 1);
		}

		return out;
	}

	decode(drawn: string): string {
		let out = '';
		for (const char of drawn) {
			if (char === FILLER) continue;
			out += this.graphemes.get(char) ?? char;
		}

		return out;
	}

	private codeOf(grapheme: string): string {
		let code = this.codes.get(grapheme);
		if (code === undefined) {
			const point = FIRST_GLYPH + this.codes.size;
			if (point > LAST_GLYPH) throw new RangeError('Too many distinct characters to draw');
			code = String.fromCodePoint(point);
			this.codes.set(grapheme, code);
			this.graphemes.set(code, grapheme);
		}

		return code;
	}
}

/** Art without spaces at line ends or blank lines around it. */
function tidy(art: string): string {
	return art
		.split('\n')
		.map(row => row.trimEnd())
		.join('\n')
		.replace(/^\n+|\n+$/g, '');
}

/** The widest line, in columns. */
function widest(text: string): number {
	return Math.max(0, ...text.split('\n').map(row => stringWidth(row)));
}
