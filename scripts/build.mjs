// Bundles the command line into dist/: the entry dist/cli.js and, under dist/chunks/, the
// modules it loads only when a command needs them, so that start-up reads little.
import {chmod, readFile, rm, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

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

/**
 * Bundles entry points the way the command line is bundled: ESM with code splitting, each
 * entry `outdir/<name>.js`, shared and lazily loaded code under `outdir/chunks/`.
 */
export async function bundle({entryPoints, outdir, metafile = false}) {
	return build({
		entryPoints,
		outdir,
		entryNames: '[name]',
		chunkNames: 'chunks/[name]-[hash]',
		bundle: true,
		splitting: true,
		platform: 'node',
		format: 'esm',
		target: 'node20',
		jsx: 'automatic',
		minifySyntax: true,
		legalComments: 'none',
		metafile,
		plugins: [noDevtools, yogaWithoutFetch],
		define: {
			PACKAGE_VERSION: JSON.stringify(pkg.version),
			'process.env.NODE_ENV': '"production"',
		},
		banner: {
			// Some bundled dependencies are CommonJS and call require(); any chunk may hold one.
			js: [
				"import {createRequire as __createRequire} from 'node:module';",
				"import {fileURLToPath as __fileURLToPath} from 'node:url';",
				'const require = __createRequire(import.meta.url);',
				'const __filename = __fileURLToPath(import.meta.url);',
				"const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
			].join('\n'),
		},
		logLevel: 'warning',
	});
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
	await bundle({entryPoints: {cli: path.join(root, 'src/bin.ts')}, outdir});
	await addShebang(path.join(outdir, 'cli.js'));
}
