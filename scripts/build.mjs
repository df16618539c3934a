// Bundles the command line into dist/: the entry dist/cli.js and, under dist/chunks/, the
// modules it loads only when a command needs them, so that start-up reads little.
import {createHash} from 'node:crypto';
import {chmod, mkdir, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build, transform} from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));

// Ink loads the React devtools only when DEV=true; they are not a dependency, so the bundle
// carries a stand-in that says so instead of an import that cannot resolve.
const noDevtools = {
	name: 'no-devtools',
	setup(build) {
		build.onResolve({filter: /^react-devtools-core$/}, () => ({path: 'devtools', namespace: 'stub'}));
		build.onLoad({filter: /.*/, namespace: 'stub'}, () => ({
			contents:
				"export default {initialize() {}, connectToDevTools() { throw new Error('React devtools are not bundled'); }};",
		}));
	},
};

// Yoga (Ink's layout engine) ships its WebAssembly as a base64 data: URL and loads it with
// fetch() whenever fetch exists. In Node that first fetch() loads the whole HTTP client
// (undici) and decodes the URL: a large share of start-up. The binary is already in the
// module, so it is decoded with Buffer instead. An unknown Yoga build is bundled as it is
// (slower, still correct) and the build says so.
const yogaWithoutFetch = {
	name: 'yoga-without-fetch',
	setup(build) {
		build.onLoad({filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const patches = [
				// Take the synchronous path that decodes the embedded binary…
				['"function"!=typeof fetch?Promise.resolve()', '!0?Promise.resolve()'],
				// …and decode it in one call rather than a character at a time.
				[
					'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c',
					'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))',
				],
			];
			if (!patches.every(([from]) => source.split(from).length === 2)) {
				return {
					contents: source,
					loader: 'js',
					warnings: [{text: 'this Yoga build is not the one the start-up patch knows; it is bundled unchanged'}],
				};
			}

			let contents = source;
			for (const [from, to] of patches) contents = contents.replace(from, to);
			return {contents, loader: 'js'};
		});
	},
};

// Every Intl.Segmenter that a dependency makes when its module loads is made on first use
// instead: the first one in a process loads ICU's break rules, some 9 ms of start-up, and the
// Start screen is drawn without one (see ONE_GRAPHEME_EACH). The stand-in offers the two
// methods a segmenter has.
const LAZY_SEGMENTER = [
	'function lazySegmenter$(...options) {',
	'\tlet segmenter;',
	'\tconst made = () => (segmenter ??= new Intl.Segmenter(...options));',
	'\treturn {segment: text => made().segment(text), resolvedOptions: () => made().resolvedOptions()};',
	'}',
].join('\n');

/** `source` with each `new Intl.Segmenter(…)` made on first use. */
export function lazySegmenters(source) {
	if (!source.includes('new Intl.Segmenter(')) return source;
	return `${source.replaceAll('new Intl.Segmenter(', 'lazySegmenter$(')}\n${LAZY_SEGMENTER}\n`;
}

// Characters each of which is a grapheme of its own beside any other of them (none extends,
// joins or prepends; all are in the BMP), that string-width 7 and 8 both measure by the East
// Asian width of the code point alone: printable ASCII, most of Latin, Greek and Cyrillic,
// general punctuation, arrows, box drawing and geometric shapes. It leaves out, among others,
// combining marks, soft hyphen, zero-width and format characters, and what either version
// counts as emoji, such as (c) and the black right-pointing triangle.
// test/unit/build-patches.test.ts checks every one of them against the unpatched modules.
export const ONE_GRAPHEME_RANGES = [
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
];
const unicodeEscape = code => `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
// The ranges as the inside of a regular expression's character class.
const ONE_GRAPHEME_EACH = ONE_GRAPHEME_RANGES.map(
	([first, last]) => `${unicodeEscape(first)}-${unicodeEscape(last)}`,
).join('');

/**
 * The patched source of string-width 7 or 8 (it measures every line Ink draws), or undefined
 * when it does not read as expected:
 * - text made only of ONE_GRAPHEME_EACH is measured character by character, with no
 *   segmenter: the sum of the widths the loop over graphemes would add up;
 * - version 8 built /^\p{RGI_Emoji}$/v when it loaded, some 20 ms before anything is drawn;
 *   it is built on first use, and not even then for a cluster that holds no code point an
 *   RGI emoji can contain (each has an Extended_Pictographic or Emoji_Presentation code
 *   point, a regional indicator, U+20E3 or U+FE0F);
 * - its segmenter is made on first use.
 */
export function plainerStringWidth(source) {
	const edits = [
		[
			'\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};\n',
			[
				'\tconst eastAsianWidthOptions = {ambiguousAsWide: !ambiguousIsNarrow};',
				`\tif (/^[${ONE_GRAPHEME_EACH}]*$/.test(string)) {`,
				'\t\tfor (let index = 0; index < string.length; index++) {',
				'\t\t\twidth += eastAsianWidth(string.charCodeAt(index), eastAsianWidthOptions);',
				'\t\t}',
				'',
				'\t\treturn width;',
				'\t}',
				'',
			].join('\n'),
		],
	];
	const eager = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
	if (source.includes(eager)) {
		edits.push([
			eager,
			[
				'const emojiCapableRegex = /[\\p{Extended_Pictographic}\\p{Emoji_Presentation}\\p{Regional_Indicator}\\u20E3\\uFE0F]/u;',
				'let rgiEmojiPattern;',
				'const rgiEmojiRegex = {test: segment => emojiCapableRegex.test(segment) && (rgiEmojiPattern ??= /^\\p{RGI_Emoji}$/v).test(segment)};',
			].join('\n'),
		]);
	}

	let contents = source;
	for (const [from, to] of edits) {
		if (contents.split(from).length !== 2) return undefined;
		contents = contents.replace(from, () => to);
	}

	return lazySegmenters(contents);
}

/**
 * The patched source of ansi-tokenize's tokenize.js (Ink cuts every line of every frame into
 * styled characters with it), or undefined when it does not read as expected: a line made
 * only of ONE_GRAPHEME_EACH, escape and bell characters (which are graphemes of their own
 * too) is cut character by character instead of by the segmenter, which is made on first use.
 */
export function plainerTokenize(source) {
	const slow = 'segmenter.segment(str)';
	if (source.split(slow).length !== 2) return undefined;
	const helper = [
		`const oneGraphemeEach$ = /^[\\u0007\\u001B${ONE_GRAPHEME_EACH}]*$/;`,
		'function graphemesOf$(str) {',
		'    if (!oneGraphemeEach$.test(str)) return segmenter.segment(str);',
		'    const segments = [];',
		'    for (let index = 0; index < str.length; index++) segments.push({ segment: str[index], index });',
		'    return segments;',
		'}',
	].join('\n');
	return lazySegmenters(`${source.replace(slow, () => 'graphemesOf$(str)')}\n${helper}\n`);
}

const plainerText = {
	name: 'plainer-text',
	setup(build) {
		const patches = [
			{filter: /[\\/]string-width[\\/]index\.js$/, patch: plainerStringWidth},
			{filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]tokenize\.js$/, patch: plainerTokenize},
			{filter: /[\\/]slice-ansi[\\/]tokenize-ansi\.js$/, patch: lazySegmenters},
		];
		for (const {filter, patch} of patches) {
			build.onLoad({filter}, async args => {
				const contents = patch(await readFile(args.path, 'utf8'));
				return contents === undefined ? undefined : {contents, loader: 'js'};
			});
		}
	},
};

// Ink turns every row of a frame into a string with ansi-tokenize's styledCharsToString, which
// works out the escape codes between each cell and the next by building three Sets per cell:
// thousands of cells a frame, all of them on the first. Two cells with the same codes need
// none, so that case is checked first; the strings are the same. And styledCharsFromTokens
// gave each character its own copy of the codes in force. Other versions are left alone.
const sameStylesShortCut = {
	name: 'same-styles-short-cut',
	setup(build) {
		build.onLoad({filter: /[\\/]@alcalzone[\\/]ansi-tokenize[\\/]build[\\/]styledChars\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const slow = '        else {\n            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));\n        }';
			if (source.split(slow).length !== 2) return undefined;
			const fast = [
				'        else if (!sameCodes(chars[i - 1].styles, char.styles)) {',
				'            ret += ansiCodesToString(diffAnsiCodes(chars[i - 1].styles, char.styles));',
				'        }',
			].join('\n');
			// A character's codes were copied for each character; the arrays are never modified
			// (reducing codes makes a new array), so characters with the same codes share one.
			const copied = '                styles: [...codes],';
			if (source.split(copied).length !== 2) return undefined;
			const helper = [
				'function sameCodes(a, b) {',
				'    if (a === b) return true;',
				'    if (a.length !== b.length) return false;',
				'    for (let i = 0; i < a.length; i++) {',
				'        if (a[i].code !== b[i].code || a[i].endCode !== b[i].endCode) return false;',
				'    }',
				'    return true;',
				'}',
			].join('\n');
			const contents = source.replace(slow, () => fast).replace(copied, () => '                styles: codes,');
			return {contents: `${contents}\n${helper}\n`, loader: 'js'};
		});
	},
};

// Ink's Output draws each frame from scratch: a fresh blank cell object for every column of
// every row, each line of text cut into styled characters (an object per character, through
// a tokenizer) with caches that live for one frame, then each whole row turned into a string
// and trimmed. Most of the allocation of a running session was here. Now a frame's caches
// fall back on the frame before's (what they hold is never modified), the blank cell is one
// shared object, and a row's trailing run of it is left out before the row is turned into a
// string: those are unstyled spaces the trim removed anyway. Every frame is the same as
// before. Other versions of the file are left alone.
const lighterFrames = {
	name: 'lighter-frames',
	setup(build) {
		build.onLoad({filter: /[\\/]ink[\\/]build[\\/]output\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const patches = [
				[
					'export default class Output {\n    width;\n    height;\n    operations = [];\n    caches = new OutputCaches();',
					[
						"// Caches shared by every frame: most lines of a frame are lines of the frames before.",
						'// What they hold is never modified; they are emptied when they grow large.',
						'const sharedStyledChars = new Map();',
						'const sharedWidths = new Map();',
						'class FrameCaches extends OutputCaches {',
						'    getStyledChars(line) {',
						'        let cached = sharedStyledChars.get(line);',
						'        if (cached === undefined) {',
						'            if (sharedStyledChars.size >= 4000) sharedStyledChars.clear();',
						'            cached = styledCharsFromTokens(tokenize(line));',
						'            sharedStyledChars.set(line, cached);',
						'        }',
						'        return cached;',
						'    }',
						'    getStringWidth(text) {',
						'        let cached = sharedWidths.get(text);',
						'        if (cached === undefined) {',
						'            if (sharedWidths.size >= 4000) sharedWidths.clear();',
						'            cached = stringWidth(text);',
						'            sharedWidths.set(text, cached);',
						'        }',
						'        return cached;',
						'    }',
						'}',
						'function frameCaches() {',
						'    return new FrameCaches();',
						'}',
						"// The one blank cell every frame's rows start from.",
						"const blankCell = {type: 'char', value: ' ', fullWidth: false, styles: []};",
						"// Each row of the frame before, its cells and its text: a row whose cells are the same",
						"// objects (the cached characters of unchanged lines, the shared blank) has the same text.",
						'const lastFrameRows = [];',
						'function sameCells(a, b) {',
						'    if (a.length !== b.length) return false;',
						'    for (let i = 0; i < a.length; i++) {',
						'        if (a[i] !== b[i]) return false;',
						'    }',
						'    return true;',
						'}',
						'export default class Output {\n    width;\n    height;\n    operations = [];\n    caches = frameCaches();',
					].join('\n'),
				],
				[
					"        const output = [];\n        for (let y = 0; y < this.height; y++) {\n            const row = [];\n            for (let x = 0; x < this.width; x++) {\n                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });\n            }",
					"        const output = [];\n        for (let y = 0; y < this.height; y++) {\n            const row = [];\n            for (let x = 0; x < this.width; x++) {\n                row.push(blankCell);\n            }",
				],
				[
					'        const generatedOutput = output\n            .map(line => {\n            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742\n            const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n            return styledCharsToString(lineWithoutEmptyItems).trimEnd();',
					[
						'        const generatedOutput = output',
						'            .map((line, rowIndex) => {',
						'            const previous = lastFrameRows[rowIndex];',
						'            if (previous && sameCells(previous.cells, line)) {',
						'                return previous.text;',
						'            }',
						'            const lineWithoutEmptyItems = line.includes(undefined) ? line.filter(item => item !== undefined) : line;',
						'            let end = lineWithoutEmptyItems.length;',
						'            while (end > 0 && lineWithoutEmptyItems[end - 1] === blankCell) {',
						'                end--;',
						'            }',
						"            const text = end === 0 ? '' : styledCharsToString(lineWithoutEmptyItems.slice(0, end)).trimEnd();",
						'            lastFrameRows[rowIndex] = {cells: line, text};',
						'            return text;',
					].join('\n'),
				],
				[
					'                        const characterWidth = Math.max(1, this.caches.getStringWidth(character.value));',
					"                        const characterWidth = character.value.length === 1 && character.value.charCodeAt(0) < 0x7F ? 1 : Math.max(1, this.caches.getStringWidth(character.value));",
				],
			];
			if (!patches.every(([from]) => source.split(from).length === 2)) return undefined;
			let contents = source;
			for (const [from, to] of patches) contents = contents.replace(from, () => to);
			return {contents, loader: 'js'};
		});
		// Each text node's width was measured again, uncached, on every frame; layout has just
		// measured the same text through measureText, which keeps what it measured.
		build.onLoad({filter: /[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/}, async args => {
			const source = await readFile(args.path, 'utf8');
			const measured = '                const currentWidth = widestLine(text);';
			if (source.split(measured).length !== 2 || !source.startsWith("import widestLine from 'widest-line';")) return undefined;
			const contents = `import measureText from './measure-text.js';\n${source.replace(measured, () => '                const currentWidth = measureText(text).width;')}`;
			return {contents, loader: 'js'};
		});
	},
};

// Dependencies of dependencies that the app's use of them never reaches, replaced by
// stand-ins so that they are neither loaded nor kept in memory (together some 5 MB of code,
// over 100 ms of loading while a session runs):
// - elkjs, which beautiful-mermaid imports for its SVG layouts; steps/mermaid.ts draws with
//   renderMermaidASCII only, which lays out on a character grid. An SVG render would throw,
//   and steps/mermaid.ts draws the plain diagram when the renderer throws.
// - cli-highlight (with highlight.js and parse5), which marked-terminal calls for code blocks;
//   src/render-markdown.ts draws code blocks itself. The stand-in leaves code as it is.
// - node-emoji (with emojilib), which marked-terminal calls only with its emoji option on;
//   src/render-markdown.ts turns it off. The stand-in knows no emoji.
// - zod's messages in every language but English (half of zod's code), which zod exports as
//   z.locales for z.config(); the app never changes the language, and zod applies English
//   itself. The stand-in offers English only.
const unusedDependencies = {
	name: 'unused-dependencies',
	setup(build) {
		const standIns = [
			{
				importer: /[\\/]beautiful-mermaid[\\/]/,
				filter: /^elkjs\/lib\/elk\.bundled\.js$/,
				contents:
					"export default class ELK { constructor() { throw new Error('ELK layouts are not bundled: only ASCII diagrams are drawn'); } }",
			},
			{
				importer: /[\\/]marked-terminal[\\/]/,
				filter: /^cli-highlight$/,
				contents: 'export function highlight(code) { return code; }',
			},
			{
				importer: /[\\/]marked-terminal[\\/]/,
				filter: /^node-emoji$/,
				contents: 'export function get() { return undefined; }',
			},
			{
				importer: /[\\/]zod[\\/]v4[\\/](?:classic[\\/]external|core[\\/]index)\.js$/,
				filter: /^\.\.\/locales\/index\.js$/,
				contents: "export {default as en} from './en.js';",
			},
		];
		for (const [index, standIn] of standIns.entries()) {
			build.onResolve({filter: standIn.filter}, args =>
				standIn.importer.test(args.importer)
					? {path: String(index), namespace: 'unused-dependency', pluginData: path.resolve(args.resolveDir, args.path, '..')}
					: undefined,
			);
		}

		build.onLoad({filter: /.*/, namespace: 'unused-dependency'}, args => ({
			contents: standIns[Number(args.path)].contents,
			loader: 'js',
			resolveDir: args.pluginData,
		}));
	},
};

/** The esbuild options every bundle shares. */
const sharedOptions = {
	bundle: true,
	splitting: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	minify: true,
	legalComments: 'none',
	plugins: [noDevtools, yogaWithoutFetch, plainerText, sameStylesShortCut, lighterFrames, unusedDependencies],
	define: {
		PACKAGE_VERSION: JSON.stringify(pkg.version),
		'process.env.NODE_ENV': '"production"',
	},
	logLevel: 'warning',
	write: false,
};

/**
 * Bundles entry points the way the command line is bundled: ESM with code splitting, each
 * entry `outdir/<name>.js`, shared and lazily loaded code under `outdir/chunks/`.
 */
export async function bundle({entryPoints, outdir, metafile = false, define = {}}) {
	const result = await build({
		...sharedOptions,
		entryPoints,
		outdir,
		entryNames: '[name]',
		chunkNames: 'chunks/[name]-[hash]',
		metafile,
		define: {...sharedOptions.define, ...define},
	});
	await Promise.all(
		result.outputFiles.map(async file => {
			await mkdir(path.dirname(file.path), {recursive: true});
			await writeFile(file.path, withNodeGlobals(asciiOnly(file.text)));
		}),
	);
	return result;
}

/**
 * Bundles one entry point as CommonJS scripts for ScriptLoader (src/cached-scripts.ts): split
 * the same way, each chunk then turned into a script whose imports are require() calls, and
 * a manifest.json that names the entry and each script's content hash, which names its code
 * cache. Only for code without top-level await, which CommonJS cannot have (esbuild stops
 * the build if it meets one).
 */
export async function bundleScripts({entry, source, outdir}) {
	const result = await build({
		...sharedOptions,
		entryPoints: {[entry]: source},
		outdir,
		entryNames: '[name]',
		chunkNames: 'chunks/[name]-[hash]',
		outExtension: {'.js': '.cjs'},
	});
	const scripts = {};
	await Promise.all(
		result.outputFiles.map(async file => {
			const {code} = await transform(file.text, {
				format: 'cjs',
				// import() becomes require(): a script run by vm has no module loader behind it.
				supported: {'dynamic-import': false},
				loader: 'js',
				target: 'node20',
				minify: true,
				legalComments: 'none',
				logLevel: 'warning',
			});
			const text = asciiOnly(code);
			const name = path.relative(outdir, file.path).split(path.sep).join('/');
			scripts[name] = createHash('sha256').update(text).digest('hex').slice(0, 24);
			await mkdir(path.dirname(file.path), {recursive: true});
			await writeFile(file.path, text);
		}),
	);
	const sorted = Object.fromEntries(Object.entries(scripts).sort(([a], [b]) => a.localeCompare(b)));
	const manifest = {entry: `${entry}.cjs`, scripts: sorted};
	await writeFile(path.join(outdir, 'manifest.json'), `${JSON.stringify(manifest, null, '\t')}\n`);
	return manifest;
}

/**
 * V8 keeps each module's source text for as long as the process runs, and one character
 * beyond Latin-1 makes it keep a whole chunk at two bytes a character. esbuild escapes such
 * characters in strings but leaves them in comments and regular expression literals, where a
 * `\\uXXXX` escape of each UTF-16 unit means the same.
 */
function asciiOnly(code) {
	return code.replace(/[^\x00-\x7F]/g, char => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * Bundled CommonJS code calls require() (through esbuild's shim, in one chunk) and a few
 * modules read __filename or __dirname. ESM has none of them, so a chunk that names them gets
 * them defined at its top. Only those chunks: making a require function parses a URL and
 * builds a module record, which is worth avoiding in each of the chunks a start loads.
 */
function withNodeGlobals(code) {
	const lines = [];
	const needsRequire = /\brequire\b/.test(code);
	const needsFilename = /\b__(?:file|dir)name\b/.test(code);
	if (needsRequire) lines.push("import {createRequire as __createRequire} from 'node:module';");
	if (needsFilename) lines.push("import {fileURLToPath as __fileURLToPath} from 'node:url';");
	if (needsRequire) lines.push('const require = __createRequire(import.meta.url);');
	if (needsFilename) {
		lines.push('const __filename = __fileURLToPath(import.meta.url);');
		lines.push("const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));");
	}

	return lines.length === 0 ? code : `${lines.join('\n')}\n${code}`;
}

/** Puts `#!/usr/bin/env node` at the top of a built entry, so that it runs as a command. */
export async function addShebang(file) {
	const code = await readFile(file, 'utf8');
	if (!code.startsWith('#!')) await writeFile(file, `#!/usr/bin/env node\n${code}`);
	await chmod(file, 0o755);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const outdir = path.join(root, 'dist');
	// Chunk names carry a hash: the old ones would pile up.
	await rm(outdir, {recursive: true, force: true});
	// `apply` is also built as CommonJS scripts that run with V8's code cache (see cli.ts).
	await bundleScripts({entry: 'apply', source: path.join(root, 'src/apply-command.ts'), outdir: path.join(outdir, 'apply')});
	await bundle({
		entryPoints: {cli: path.join(root, 'src/bin.ts')},
		outdir,
		define: {APPLY_SCRIPTS: JSON.stringify('./apply/')},
	});
	await addShebang(path.join(outdir, 'cli.js'));
}
