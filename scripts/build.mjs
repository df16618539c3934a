// Bundles the command line into dist/cli.js: one file, so that it starts fast.
import {readFile} from 'node:fs/promises';
import {build} from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

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

await build({
	entryPoints: ['src/bin.ts'],
	outfile: 'dist/cli.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	jsx: 'automatic',
	minifySyntax: true,
	legalComments: 'none',
	plugins: [noDevtools],
	define: {
		PACKAGE_VERSION: JSON.stringify(pkg.version),
		'process.env.NODE_ENV': '"production"',
	},
	banner: {
		// Some bundled dependencies are CommonJS and call require().
		js: [
			'#!/usr/bin/env node',
			"import {createRequire as __createRequire} from 'node:module';",
			"import {fileURLToPath as __fileURLToPath} from 'node:url';",
			'const require = __createRequire(import.meta.url);',
			'const __filename = __fileURLToPath(import.meta.url);',
			"const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
		].join('\n'),
	},
	logLevel: 'warning',
});
