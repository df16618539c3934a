import path from 'node:path';
import {fileURLToPath} from 'node:url';
import type {Io} from './apply.js';
import {commandHelp, parseCommandLine, programHelp, type Invocation} from './options.js';
import {report} from './report.js';

export {report};

declare const PACKAGE_VERSION: string;
/** The version, set by the build; `dev` when run from source. */
export const version = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'dev';

declare const APPLY_SCRIPTS: string;

/** Runs one command line and returns the exit code; never throws at the user. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
	let invocation: Invocation;
	try {
		invocation = parseCommandLine(argv);
	} catch (error) {
		return report(error, io);
	}

	if (invocation.kind === 'help') {
		io.stdout.write(`${invocation.command ? commandHelp[invocation.command] : programHelp}\n`);
		return 0;
	}

	if (invocation.kind === 'version') {
		io.stdout.write(`engram-design ${version}\n`);
		return 0;
	}

	const {command, args, options} = invocation;
	try {
		switch (command) {
			case 'apply': {
				if (options.dryRun) {
					const {runDryRun} = await import('./dry-run.js');
					return await runDryRun(args[0]!, options, io);
				}

				const {applyCommand} = await loadApplyCommand(io.env);
				return await applyCommand(args[0]!, options, io);
			}

			case 'export': {
				const {readExportSource, designDocument} = await import('./export.js');
				await (await import('../steps/mermaid.js')).loadDiagramRenderer();
				const file = path.resolve(io.cwd, args[0]!);
				const document = designDocument(await readExportSource(file));
				if (options.out) {
					const {default: writeFileAtomic} = await import('write-file-atomic');
					await writeFileAtomic(path.resolve(io.cwd, options.out), document);
					io.stderr.write(`engram-design: wrote ${options.out}\n`);
				} else io.stdout.write(document);
				return 0;
			}

			case 'show': {
				const {runShow} = await import('./show.js');
				return await runShow(args[0]!, options, io);
			}

			case 'list': {
				const {runList} = await import('./list.js');
				return await runList(options, io);
			}

			case 'push': {
				const {runPush} = await import('./push.js');
				return await runPush(options, io);
			}

			case 'schema': {
				const {answersJsonSchema} = await import('./schema.js');
				io.stdout.write(`${JSON.stringify(answersJsonSchema(), null, 2)}\n`);
				return 0;
			}

			case 'session':
			case 'resume': {
				const {runSession} = await import('./session.js');
				return await runSession({resume: command === 'resume', options, io});
			}
		}
	} catch (error) {
		return report(error, io);
	}
}

type ApplyCommand = typeof import('./apply-command.js');

/**
 * The apply command. Built, it is a folder of CommonJS scripts beside this file (the build
 * sets APPLY_SCRIPTS), run with V8's code cache: nearly all of an apply's own time before
 * its first engram call is spent compiling zod, the schemas, js-yaml and execa, and a cache
 * spares the runs after the first most of that. From source it is imported as it is.
 */
async function loadApplyCommand(env: NodeJS.ProcessEnv): Promise<ApplyCommand> {
	if (typeof APPLY_SCRIPTS !== 'string') return import('./apply-command.js');
	const {codeCache, ScriptLoader} = await import('./cached-scripts.js');
	const folder = fileURLToPath(new URL(APPLY_SCRIPTS, import.meta.url));
	const loader = new ScriptLoader(folder, codeCache(env));
	process.once('exit', () => loader.save());
	return loader.entry() as ApplyCommand;
}
