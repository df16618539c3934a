import stringWidth from 'string-width';
import {beforeAll, describe, expect, test, vi} from 'vitest';
import {architectureStep} from '../../steps/architecture.js';
import type {Architecture} from '../../steps/architecture.js';
import {diagramText} from '../../steps/diagram.js';
import {
	drawDiagram,
	isDiagramRendererLoaded,
	loadDiagramRenderer,
	mermaidSource,
	renderDiagram,
	type MermaidRenderer,
} from '../../steps/mermaid.js';
import {example, variant} from './example.js';

type Parts = Pick<Architecture, 'components' | 'connections'>;

/** A component with only a name worth reading. */
const part = (name: string) => ({name, role: 'r', technology: 't', scaling: 's'});

/** An architecture from names and `[from, to, label?]` triples. */
function parts(names: readonly string[], edges: readonly (readonly string[])[] = []): Parts {
	return {
		components: names.map(part),
		connections: edges.map(([from, to, label]) => ({
			from: from!,
			to: to!,
			...(label ? {label} : {}),
		})),
	};
}

const widest = (text: string) => Math.max(...text.split('\n').map(row => stringWidth(row)));

let renderer: MermaidRenderer;

beforeAll(async () => {
	renderer = await import('beautiful-mermaid');
});

describe('mermaidSource', () => {
	test('writes a node per component and an edge per connection', () => {
		expect(mermaidSource(example().architecture)).toBe(
			[
				'flowchart TD',
				'\tn0["Browser (Client)"]',
				'\tn1["WebSocket Server"]',
				'\tn2["Redis Pub/Sub"]',
				'\tn3["Document Service"]',
				'\tn4["Revision Service"]',
				'\tn5["PostgreSQL"]',
				'\tn6["S3"]',
				'\tn0 -->|"WebSocket, bidirectional sync"| n1',
				'\tn1 -->|"presence"| n2',
				'\tn1 --> n3',
				'\tn1 --> n4',
				'\tn3 -->|"metadata"| n5',
				'\tn4 -->|"snapshots"| n6',
			].join('\n'),
		);
	});

	test('writes markup characters as entity codes and keeps other unicode', () => {
		const [first, second] = ['Say "hi" | [x] #1', '文書 🚀 <b>&'];
		const source = mermaidSource(parts([first, second], [[first, second, 'a|b']]));
		expect(source).toContain('n0["Say #34;hi#34; #124; #91;x#93; #35;1"]');
		expect(source).toContain('n1["文書 🚀 #60;b#62;#38;"]');
		expect(source).toContain('n0 -->|"a#124;b"| n1');
	});

	test('matches connection ends to components without regard to case', () => {
		const source = mermaidSource(parts(['Api', 'Db'], [['api', 'DB']]));
		expect(source.split('\n').slice(1)).toEqual(['\tn0["Api"]', '\tn1["Db"]', '\tn0 --> n1']);
	});

	test('gives an end that names no component a node of its own', () => {
		const source = mermaidSource(parts(['Api'], [['Api', '[To]']]));
		expect(source).toContain('\tn1["#91;To#93;"]\n\tn0 --> n1');
	});
});

describe('drawDiagram with beautiful-mermaid', () => {
	test('draws the example within 76 columns, every component named', () => {
		const art = drawDiagram(renderer, example().architecture, {maxWidth: 76});
		expect(art.drawnBy).toBe('mermaid');
		expect(widest(art.text)).toBeLessThanOrEqual(76);
		for (const word of ['Browser', 'WebSocket', 'Redis', 'Document', 'Revision', 'PostgreSQL']) {
			expect(art.text).toContain(word);
		}

		expect(art.text).toContain('▼');
		expect(art.text).not.toMatch(/[ \t]$/m);
	});

	test.each([100, 140])('draws the example unwrapped at width %i', maxWidth => {
		const art = drawDiagram(renderer, example().architecture, {maxWidth});
		expect(art.drawnBy).toBe('mermaid');
		expect(art.text).toContain('Browser (Client)');
		expect(art.text).toContain('WebSocket, bidirectional sync');
	});

	test('falls back to the plain diagram when nothing fits', () => {
		const architecture = example().architecture;
		const art = drawDiagram(renderer, architecture, {maxWidth: 60});
		expect(art).toEqual({text: diagramText(architecture), drawnBy: 'plain', fallback: 'too-wide'});
	});

	test('gives wide characters their width, so that box borders line up', () => {
		const art = drawDiagram(renderer, parts(['文書サービス 🚀']), {maxWidth: 76});
		expect(art.drawnBy).toBe('mermaid');
		const rows = art.text.split('\n');
		expect(rows.find(row => row.includes('文書サービス 🚀'))).toBeDefined();
		expect(new Set(rows.map(row => stringWidth(row))).size).toBe(1);
	});

	test('keeps markup characters in names and labels as typed', () => {
		const first = 'a*b* ~~c~~ <br> #35;';
		const second = 'Quote "x" [y] | z';
		const art = drawDiagram(renderer, parts([first, second], [[first, second, '**p** | q']]), {
			maxWidth: 76,
		});
		expect(art.drawnBy).toBe('mermaid');
		expect(art.text).toContain(first);
		expect(art.text).toContain(second);
		expect(art.text).toContain('**p** | q');
	});

	test('wraps long names and labels rather than give up', () => {
		const long = 'A very long component name that goes on and on for quite a while';
		const other = 'Another rather verbose component name that does not end soon';
		const art = drawDiagram(renderer, parts([long, other], [[long, other, 'a long label']]), {
			maxWidth: 60,
		});
		expect(art.drawnBy).toBe('mermaid');
		expect(widest(art.text)).toBeLessThanOrEqual(60);
		expect(art.text).toContain('verbose');
	});

	test('draws a cycle', () => {
		const cycle = parts(
			['A', 'B', 'C'],
			[
				['A', 'B'],
				['B', 'C'],
				['C', 'A', 'back'],
			],
		);
		const art = drawDiagram(renderer, cycle, {maxWidth: 60});
		expect(art.drawnBy).toBe('mermaid');
		expect(art.text).toContain('back');
		expect(art.text.match(/[▼◄►▲]/g)?.length).toBe(3);
	});

	test('lists a connection from a component to itself under the art', () => {
		const edges = [
			['worker', 'WORKER', 'retry'],
			['Queue', 'Worker'],
		];
		const art = drawDiagram(renderer, parts(['Worker', 'Queue'], edges), {maxWidth: 60});
		expect(art.drawnBy).toBe('mermaid');
		expect(art.text.endsWith('\n\nWorker ──▶ Worker (retry)')).toBe(true);
		expect(art.text).toContain('◄');
	});

	test('draws a single component', () => {
		const art = drawDiagram(renderer, parts(['Monolith']), {maxWidth: 60});
		expect(art.text.split('\n').filter(row => row.includes('Monolith'))).toHaveLength(1);
		expect(art.text.startsWith('┌')).toBe(true);
	});

	test('draws components with no connections side by side while they fit', () => {
		const names = ['Alpha', 'Beta', 'Gamma', 'Delta'];
		const art = drawDiagram(renderer, parts(names), {maxWidth: 60});
		expect(art.drawnBy).toBe('mermaid');
		const row = art.text.split('\n').find(line => line.includes('Alpha'))!;
		for (const name of names) expect(row).toContain(name);
	});

	test('falls back for 15 unconnected components in 100 columns, draws them in 140', () => {
		const names = Array.from({length: 15}, (_, index) => `S${index + 1}`);
		expect(drawDiagram(renderer, parts(names), {maxWidth: 100}).fallback).toBe('too-wide');
		expect(drawDiagram(renderer, parts(names), {maxWidth: 140}).drawnBy).toBe('mermaid');
	});

	test('draws a chain of 15 components', () => {
		const names = Array.from({length: 15}, (_, index) => `Service ${index + 1}`);
		const edges = names.slice(1).map((name, index) => [names[index]!, name]);
		const art = drawDiagram(renderer, parts(names, edges), {maxWidth: 76});
		expect(art.drawnBy).toBe('mermaid');
		expect(art.text.match(/▼/g)).toHaveLength(14);
	});
});

describe('drawDiagram falling back', () => {
	const architecture = parts(['Api', 'Db'], [['Api', 'Db']]);

	test('without a renderer', () => {
		expect(drawDiagram(undefined, architecture, {maxWidth: 76})).toEqual({
			text: diagramText(architecture),
			drawnBy: 'plain',
			fallback: 'not-loaded',
		});
	});

	test('when the renderer throws', () => {
		const failing: MermaidRenderer = {
			renderMermaidASCII() {
				throw new Error('parse error');
			},
		};
		expect(drawDiagram(failing, architecture, {maxWidth: 76}).fallback).toBe('error');
	});

	test('when the renderer draws nothing', () => {
		const empty: MermaidRenderer = {renderMermaidASCII: () => '   \n'};
		expect(drawDiagram(empty, architecture, {maxWidth: 76}).fallback).toBe('error');
	});

	test('when every attempt is too wide, after trying narrower ones', () => {
		const calls: unknown[] = [];
		const wide: MermaidRenderer = {
			renderMermaidASCII(_text, options) {
				calls.push(options);
				return 'x'.repeat(77);
			},
		};
		expect(drawDiagram(wide, architecture, {maxWidth: 76}).fallback).toBe('too-wide');
		expect(calls.length).toBeGreaterThan(1);
	});

	test('with no components', () => {
		expect(drawDiagram(renderer, parts([]), {maxWidth: 76})).toEqual({
			text: '',
			drawnBy: 'plain',
			fallback: 'error',
		});
	});
});

describe('renderDiagram and the lazily loaded renderer', () => {
	test('draws the plain diagram until the renderer is loaded, then the art', async () => {
		vi.resetModules();
		const fresh = await import('../../steps/mermaid.js');
		const architecture = example().architecture;
		expect(fresh.isDiagramRendererLoaded()).toBe(false);
		expect(fresh.renderDiagram(architecture, {maxWidth: 76})).toBe(diagramText(architecture));
		await fresh.loadDiagramRenderer();
		expect(fresh.isDiagramRendererLoaded()).toBe(true);
		expect(fresh.renderDiagram(architecture, {maxWidth: 76})).toBe(
			drawDiagram(renderer, architecture, {maxWidth: 76}).text,
		);
	});

	test('loading twice imports once and never rejects', async () => {
		await expect(Promise.all([loadDiagramRenderer(), loadDiagramRenderer()])).resolves.toEqual([
			undefined,
			undefined,
		]);
		expect(isDiagramRendererLoaded()).toBe(true);
	});

	test('draws the same art again from its memory', async () => {
		await loadDiagramRenderer();
		const architecture = example().architecture;
		const first = renderDiagram(architecture, {maxWidth: 76});
		expect(renderDiagram(structuredClone(architecture), {maxWidth: 76})).toBe(first);
		expect(renderDiagram(architecture, {maxWidth: 140})).not.toBe(first);
	});
});

describe('architecture markdown', () => {
	beforeAll(loadDiagramRenderer);

	test('stores the drawn art and its Mermaid source when no diagram is hand-drawn', () => {
		const answers = variant(example(), copy => {
			delete copy.architecture.diagram;
		});
		const architecture = answers.architecture;
		const art = renderDiagram(architecture, {maxWidth: 76});
		expect(art).not.toBe(diagramText(architecture));
		expect(architectureStep.markdown(answers)).toContain(
			`## High-Level Architecture\n\n\`\`\`\n${art}\n\`\`\`\n\n` +
				`\`\`\`mermaid\n${mermaidSource(architecture)}\n\`\`\`\n\n## Components`,
		);
	});

	test('keeps a hand-drawn diagram, alone', () => {
		const answers = example();
		const markdown = architectureStep.markdown(answers);
		const fence = '```';
		expect(markdown).toContain(
			`## High-Level Architecture\n\n${fence}\n${answers.architecture.diagram}\n${fence}`,
		);
		expect(markdown).not.toContain('```mermaid');
	});
});
