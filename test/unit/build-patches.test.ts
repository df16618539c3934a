// The build rewrites string-width and ansi-tokenize so that plain text is measured and cut
// without Intl.Segmenter (scripts/build.mjs). Each patched module is bundled here from the
// installed source and compared with the module as published, character by character.
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {build} from 'esbuild';
import {afterAll, describe, expect, test} from 'vitest';
import {PLAIN_RANGES} from '../../src/graphemes.js';
import {
	lazySegmenters,
	ONE_GRAPHEME_RANGES,
	plainerStringWidth,
	plainerTokenize,
} from '../../scripts/build.mjs';

const modules = path.resolve('node_modules');
const work = mkdtempSync(path.join(os.tmpdir(), 'build-patches-'));
afterAll(() => rmSync(work, {recursive: true, force: true}));

/** Bundles `contents` as if it were the file `file`, and imports it. */
async function importAs<T>(file: string, contents: string): Promise<T> {
	const result = await build({
		stdin: {contents, resolveDir: path.dirname(file), sourcefile: file, loader: 'js'},
		bundle: true,
		format: 'esm',
		platform: 'node',
		write: false,
		logLevel: 'silent',
	});
	const out = path.join(work, `${path.basename(path.dirname(file))}-${Math.random()}.mjs`);
	writeFileSync(out, result.outputFiles[0]!.text);
	return (await import(pathToFileURL(out).href)) as T;
}

const plain = ONE_GRAPHEME_RANGES.flatMap(([first, last]) =>
	Array.from({length: last - first + 1}, (_, index) => String.fromCharCode(first + index)),
);
// Characters that must take the unpatched path: marks that join the character before, an
// emoji, a variation selector, zero-width and format characters, a wide ideograph.
const others = ['\u0301', '\u20DD', '\u{1F600}', '\uFE0F', '\u200B', '\u00AD', '\u4E2D', '\u00A9'];

let seed = 7;
const random = (count: number) => {
	seed = (seed * 1103515245 + 12345) % 2147483648;
	return seed % count;
};

const samples = (alphabet: string[], count: number, longest: number) =>
	Array.from({length: count}, () =>
		Array.from({length: 1 + random(longest)}, () => alphabet[random(alphabet.length)]).join(''),
	);

describe.each([
	['string-width (the app and wrap-ansi)', path.join(modules, 'string-width', 'index.js')],
	["string-width (Ink's)", path.join(modules, 'ink', 'node_modules', 'string-width', 'index.js')],
])('%s as the build patches it', (_name, file) => {
	type Width = (text: string, options?: {ambiguousIsNarrow?: boolean}) => number;
	const source = readFileSync(file, 'utf8');
	const patched = plainerStringWidth(source);

	test('the patch applies to the installed version', () => {
		expect(patched).toBeDefined();
	});

	test('measures every plain character, alone and beside others, as published', async () => {
		const {default: original} = await importAs<{default: Width}>(file, source);
		const {default: faster} = await importAs<{default: Width}>(file, patched!);
		const texts = [
			...plain,
			...plain.map(char => `a${char}`),
			...plain.map(char => `${char}\u00E9`),
			...samples(plain, 20_000, 6),
			...samples([...plain, ...others], 5000, 6),
			...others.flatMap(other => plain.slice(0, 300).map(char => `${char}${other}`)),
		];
		const differ: string[] = [];
		for (const ambiguousIsNarrow of [true, false]) {
			for (const text of texts) {
				if (faster(text, {ambiguousIsNarrow}) !== original(text, {ambiguousIsNarrow})) {
					differ.push(text);
				}
			}
		}

		expect(differ).toEqual([]);
	});
});

describe("ansi-tokenize's tokenize as the build patches it", () => {
	const file = path.join(modules, '@alcalzone', 'ansi-tokenize', 'build', 'tokenize.js');
	const source = readFileSync(file, 'utf8');
	const patched = plainerTokenize(source);
	type Tokenize = {tokenize: (text: string) => unknown[]};

	test('the patch applies to the installed version', () => {
		expect(patched).toBeDefined();
	});

	test('cuts styled plain text, links and other text as the published one does', async () => {
		const original = await importAs<Tokenize>(file, source);
		const faster = await importAs<Tokenize>(file, patched!);
		const codes = ['\u001B[1m', '\u001B[31m', '\u001B[39m', '\u001B[0m', '\u001B[38;5;42m'];
		const link = '\u001B]8;;https://example.com\u0007';
		const texts = [
			...plain,
			...samples([...plain, ...codes], 10_000, 12),
			...samples([...plain, ...codes, link, '\u001B]8;;\u0007'], 2000, 12),
			...samples([...plain, ...codes, ...others], 3000, 8),
		];
		const differ = texts.filter(
			text => JSON.stringify(faster.tokenize(text)) !== JSON.stringify(original.tokenize(text)),
		);
		expect(differ).toEqual([]);
	});
});

test('a segmenter made on first use segments as Intl.Segmenter does', async () => {
	const source = [
		'const graphemes = new Intl.Segmenter(undefined, {granularity: "grapheme"});',
		'const words = new Intl.Segmenter("en", {granularity: "word"});',
		'export const cut = text => [...graphemes.segment(text)].map(part => part.segment);',
		'export const wordsOf = text => [...words.segment(text)].map(part => part.segment);',
		'export const options = () => words.resolvedOptions().granularity;',
	].join('\n');
	const patched = lazySegmenters(source);
	expect(patched).not.toContain('new Intl.Segmenter(undefined');
	type Cutter = {
		cut: (text: string) => string[];
		wordsOf: (text: string) => string[];
		options: () => string;
	};
	const lazy = await importAs<Cutter>(path.join(work, 'lazy.js'), patched);
	const text = 'e\u0301 \u{1F469}\u200D\u{1F4BB} two words';
	expect(lazy.cut(text)).toEqual([
		'e\u0301',
		' ',
		'\u{1F469}\u200D\u{1F4BB}',
		' ',
		't',
		'w',
		'o',
		' ',
		'w',
		'o',
		'r',
		'd',
		's',
	]);
	expect(lazy.wordsOf('two words')).toEqual(['two', ' ', 'words']);
	expect(lazy.options()).toBe('word');
});

test("the app's own plain characters are the build's, and the CJK ideographs", () => {
	expect(PLAIN_RANGES).toEqual([...ONE_GRAPHEME_RANGES, [0x4e00, 0x9fff]]);
});
