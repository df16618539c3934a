import {describe, expect, test, vi} from 'vitest';
import type {Answers} from '../../src/answers.js';
import {stripAnsi, visibleWidth} from '../../src/ansi-text.js';
import {
	isMarkdownRendererLoaded,
	loadMarkdownRenderer,
	renderMarkdown,
} from '../../src/render-markdown.js';
import {steps} from '../../steps/index.js';
import {loadDiagramRenderer, renderDiagram} from '../../steps/mermaid.js';
import {example, variant} from './example.js';

const ESC = '\u001B';

/** The example with a drawn diagram and a capacity estimate, so that both are shown. */
function fullExample(): Answers {
	return variant(example(), copy => {
		delete copy.architecture.diagram;
		copy.scalability.estimate = {
			users: 100_000,
			requestsPerUserPerDay: 864,
			peakFactor: 3,
			perInstanceRps: 500,
			growthPerYear: 2,
			storagePerUserMb: 10,
			costPerInstanceMonth: 200,
			storageCostPerGbMonth: 0.023,
			costTarget: 0.01,
		};
	});
}

/** The five stored documents of an answers object. */
const documents = (answers: Answers) =>
	steps.map(step => ({id: step.id, markdown: step.entity(answers, 'T').content}));

describe('before the renderer is loaded', () => {
	test('the markdown is returned as written, without terminal controls', async () => {
		vi.resetModules();
		const fresh = await import('../../src/render-markdown.js');
		expect(fresh.isMarkdownRendererLoaded()).toBe(false);
		const text = '# Title\r\n\r\n**bold** \u001B[31mred';
		expect(fresh.renderMarkdown(text, {width: 80, color: true})).toBe(
			'# Title\n\n**bold** [31mred',
		);
	});
});

// Loaded before the cases below are collected, as some are drawn while collecting.
await Promise.all([loadMarkdownRenderer(), loadDiagramRenderer()]);

describe('renderMarkdown', () => {
	test('loads once and reports it', async () => {
		await expect(Promise.all([loadMarkdownRenderer(), loadMarkdownRenderer()])).resolves.toEqual([
			undefined,
			undefined,
		]);
		expect(isMarkdownRendererLoaded()).toBe(true);
	});

	describe.each([80, 120])('the example documents at width %i', width => {
		const drawn = documents(fullExample()).map(({id, markdown}) => ({
			id,
			plain: renderMarkdown(markdown, {width, color: false}),
			colored: renderMarkdown(markdown, {width, color: true}),
		}));

		test.each(drawn)('$id: no line is wider than the width, in colour or not', item => {
			for (const text of [item.plain, item.colored]) {
				const wide = text.split('\n').filter(line => visibleWidth(line) > width);
				expect(wide).toEqual([]);
			}
		});

		test.each(drawn)('$id: without colour there is no escape sequence at all', item => {
			expect(item.plain).not.toContain(ESC);
			expect(item.plain).not.toContain('\u009B');
		});

		test.each(drawn)('$id: colour changes nothing but the escape sequences', item => {
			expect(item.colored).toContain(`${ESC}[1m`);
			expect(stripAnsi(item.colored)).toBe(item.plain);
		});

		test.each(drawn)('$id: bold markers are drawn, not shown', item => {
			expect(item.plain).not.toContain('**');
		});
	});

	test('headings, list items and labels read as text', () => {
		const [requirements] = documents(example());
		const text = renderMarkdown(requirements!.markdown, {width: 80, color: false});
		expect(text.split('\n').slice(0, 3)).toEqual([
			'# System Requirements: Collaborative Document Editor',
			'',
			'Tags: system-design,requirements,collab-editor',
		]);
		expect(text).toContain('\nWhat the system must do:\n\n  1. Real-time collaborative editing');
		expect(text).toContain('\n  * Users: 100K concurrent users\n');
	});

	test('a wrapped list item continues under its text', () => {
		const architecture = documents(example())[3]!.markdown;
		const text = renderMarkdown(architecture, {width: 60, color: false});
		expect(text).toContain(
			'  * Scaling: Vertical for the primary, read replicas for\n    reads, sharding at 1M documents',
		);
	});

	test.each([80, 120])('the drawn diagram keeps its lines whole and aligned at %i', width => {
		const answers = fullExample();
		const art = renderDiagram(answers.architecture, {maxWidth: 76});
		const markdown = documents(answers)[3]!.markdown;
		for (const color of [false, true]) {
			const text = stripAnsi(renderMarkdown(markdown, {width, color}));
			expect(text).toContain(
				art
					.split('\n')
					.map(line => (line ? `  ${line}` : ''))
					.join('\n'),
			);
		}
	});

	test('a hand-drawn diagram keeps its lines whole, even wider than the width', () => {
		const answers = example();
		const markdown = documents(answers)[3]!.markdown;
		const text = renderMarkdown(markdown, {width: 40, color: false});
		for (const line of answers.architecture.diagram!.split('\n')) {
			expect(text).toContain(`\n  ${line}\n`);
		}
	});

	test('a code block keeps its tabs as spaces and its lines unwrapped', () => {
		const text = renderMarkdown('```\n\tindented ' + 'x'.repeat(40) + '\n```', {
			width: 20,
			color: false,
		});
		expect(text).toBe(`    indented ${'x'.repeat(40)}`);
	});

	test('the capacity tables fit a narrow width by wrapping cells', () => {
		const scalability = documents(fullExample())[4]!.markdown;
		const text = renderMarkdown(scalability, {width: 44, color: false});
		const table = text.slice(text.indexOf('## Capacity Estimate'), text.indexOf('## Bottlenecks'));
		expect(table.split('\n').every(line => visibleWidth(line) <= 44)).toBe(true);
		expect(table).toContain('│ Users now            │ 100,000           │');
		expect(table).toContain(
			'│ Requests per user    │ 864               │\n│ per day              │',
		);
	});

	test('a table cell shows inline code, entities and pipes as text', () => {
		const text = renderMarkdown('| a | b |\n| --- | --- |\n| `x:y` | 1 & 2 \\| 3 |', {
			width: 40,
			color: false,
		});
		expect(text).toBe(
			[
				'┌─────┬───────────┐',
				'│ a   │ b         │',
				'├─────┼───────────┤',
				'│ x:y │ 1 & 2 | 3 │',
				'└─────┴───────────┘',
			].join('\n'),
		);
	});

	test('a table with more columns than fit becomes header: value lines', () => {
		const header = Array.from({length: 8}, (_, index) => `h${index}`);
		const row = header.map((_, index) => `v${index}`);
		const markdown = [header, header.map(() => '---'), row].map(r => `| ${r.join(' | ')} |`);
		const text = renderMarkdown(markdown.join('\n'), {width: 20, color: false});
		expect(text.split('\n').slice(0, 2)).toEqual(['h0: v0', 'h1: v1']);
	});

	test('a link shows its address, without a terminal hyperlink', () => {
		const text = renderMarkdown('See [the docs](https://example.com/a).', {width: 80, color: true});
		expect(stripAnsi(text)).toBe('See the docs (https://example.com/a).');
		expect(text).not.toContain(`${ESC}]8`);
	});

	test('escape sequences in the markdown never reach the terminal', () => {
		const text = renderMarkdown('red \u001B[31mtext\u001B[0m and \u009B31m', {
			width: 80,
			color: true,
		});
		expect(text).toBe('red [31mtext[0m and 31m');
	});
});
