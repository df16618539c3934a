import stringWidth from 'string-width';
import {render} from 'ink-testing-library';
import {describe, expect, test, vi} from 'vitest';
import {MarkdownView} from '../../components/MarkdownView.js';
import {stripAnsi} from '../../src/ansi-text.js';
import {isMarkdownRendererLoaded, loadMarkdownRenderer} from '../../src/render-markdown.js';

const ESC = '\u001B';

const document = [
	'# Title',
	'',
	'Some **bold** words in a paragraph long enough to wrap at forty columns.',
	'',
	'- first',
	'- second',
	'',
	'```',
	'┌────────────────────────────────────────────────────────┐',
	`│${'文書'.repeat(15)}│`,
	'└────────────────────────────────────────────────────────┘',
	'```',
	'',
	'文書サービス文書サービス文書サービス文書サービス文書サービス',
].join('\n');

/** The frame's lines, without escape sequences. */
const rows = (frame: string | undefined) => stripAnsi(frame ?? '').split('\n');

describe('MarkdownView', () => {
	test('shows the markdown as written until the renderer loads, then draws it', async () => {
		expect(isMarkdownRendererLoaded()).toBe(false);
		const view = render(<MarkdownView markdown={document} width={40} height={20} scroll={0} />);
		expect(rows(view.lastFrame())[0]).toBe('# Title');
		expect(view.lastFrame()).toContain('**bold**');
		await vi.waitFor(() => expect(view.lastFrame()).not.toContain('**bold**'), {
			timeout: 10_000,
		});
		expect(rows(view.lastFrame())).toContain('  * first');
		view.unmount();
	});

	test.each([
		[false, '  ┌', 37, '  │', 18],
		[true, '┌', 39, '│', 19],
	])('raw %s: cuts code lines to the width, wide characters whole', async (...expected) => {
		const [raw, corner, bars, side, characters] = expected;
		await loadMarkdownRenderer();
		const view = render(
			<MarkdownView markdown={document} width={40} height={30} scroll={0} raw={raw} />,
		);
		const lines = rows(view.lastFrame());
		expect(lines.every(line => stringWidth(line) <= 40)).toBe(true);
		expect(lines).toContain(corner + '─'.repeat(bars));
		// A wide character that would straddle the last column is left out: 39 columns.
		const text = '文書'.repeat(10).slice(0, characters);
		expect(lines).toContain(side + text);
		expect(stringWidth(side + text)).toBe(39);
		view.unmount();
	});

	test('wraps prose of wide characters between characters', async () => {
		await loadMarkdownRenderer();
		const view = render(<MarkdownView markdown={document} width={40} height={30} scroll={0} />);
		const lines = rows(view.lastFrame());
		expect(lines).toContain('文書サービス文書サービス文書サービス文書');
		expect(lines).toContain('サービス文書サービス');
		view.unmount();
	});

	test('says which lines are shown, and how to move and switch', async () => {
		await loadMarkdownRenderer();
		const view = render(
			<MarkdownView markdown={document} width={60} height={5} scroll={0} color={false} />,
		);
		const lines = rows(view.lastFrame());
		expect(lines).toHaveLength(5);
		expect(lines.at(-1)).toMatch(/^lines 1–4 of \d+ · PgUp\/PgDn · \^R raw$/);
		view.unmount();
	});

	test('scrolls, and never past the last screenful', async () => {
		await loadMarkdownRenderer();
		const markdown = Array.from({length: 30}, (_, index) => `line ${index + 1}`).join('\n\n');
		const view = render(<MarkdownView markdown={markdown} width={40} height={6} scroll={4} />);
		expect(rows(view.lastFrame())[0]).toBe('line 3');
		expect(rows(view.lastFrame()).at(-1)).toBe('lines 5–9 of 59 · PgUp/PgDn · ^R raw');
		view.rerender(<MarkdownView markdown={markdown} width={40} height={6} scroll={500} />);
		expect(rows(view.lastFrame()).slice(-2)).toEqual([
			'line 30',
			'lines 55–59 of 59 · PgUp/PgDn · ^R raw',
		]);
		view.unmount();
	});

	test('shows the markdown as written when raw, prose wrapped and fences whole', async () => {
		await loadMarkdownRenderer();
		const view = render(<MarkdownView markdown={document} width={40} height={30} scroll={0} raw />);
		const lines = rows(view.lastFrame());
		expect(lines.slice(0, 4)).toEqual([
			'# Title',
			'',
			'Some **bold** words in a paragraph long',
			'enough to wrap at forty columns.',
		]);
		expect(lines).toContain('```');
		expect(lines).toContain('┌' + '─'.repeat(39));
		expect(lines.at(-1)).toBe('lines 1–16 of 16 · PgUp/PgDn · ^R drawn');
		view.rerender(<MarkdownView markdown={document} width={60} height={5} scroll={0} raw />);
		expect(rows(view.lastFrame()).at(-1)).toBe('lines 1–4 of 15 · PgUp/PgDn · ^R drawn');
		view.unmount();
	});

	test('writes no escape sequence without colour, and some with it', async () => {
		await loadMarkdownRenderer();
		const plain = render(
			<MarkdownView markdown={document} width={40} height={20} scroll={0} color={false} />,
		);
		expect(plain.lastFrame()).not.toContain(ESC);
		plain.unmount();
		const colored = render(
			<MarkdownView markdown={document} width={40} height={20} scroll={0} color />,
		);
		expect(colored.lastFrame()).toContain(`${ESC}[1m`);
		colored.unmount();
	});

	test('never shows a terminal escape held in the markdown', async () => {
		await loadMarkdownRenderer();
		for (const raw of [false, true]) {
			const view = render(
				<MarkdownView
					markdown={'title \u001B]0;owned\u0007 \u001B[2J'}
					width={40}
					height={5}
					scroll={0}
					raw={raw}
					color={false}
				/>,
			);
			expect(view.lastFrame()).not.toContain(ESC);
			expect(view.lastFrame()).not.toContain('\u0007');
			view.unmount();
		}
	});
});
