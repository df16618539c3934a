// Bundles the command line into dist/cli.js: one file, so that it starts fast.
import {readFile} from 'node:fs/promises';
import {build} from 'esbuild';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));

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
	// Ink loads the React devtools only when DEV is set; they are not a dependency.
	external: ['react-devtools-core'],
	define: {
		PACKAGE_VERSION: JSON.stringify(pkg.version),
		'process.env.NODE_ENV': '"production"',
	},
	banner: {
		// Some bundled dependencies are CommonJS and call require().
		js: "#!/usr/bin/env node\nimport {createRequire as __createRequire} from 'node:module';\nconst require = __createRequire(import.meta.url);",
	},
	logLevel: 'warning',
});
