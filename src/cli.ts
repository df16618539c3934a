import path from 'node:path';
import {AnswersFileError, TaskNotFoundError} from './errors.js';
import {
	commandHelp,
	parseCommandLine,
	programHelp,
	UsageError,
	type Invocation,
} from './options.js';
import {StoreError} from './store.js';
import type {Io} from './apply.js';

declare const PACKAGE_VERSION: string;
/** The version, set by the build; `dev` when run from source. */
export const version = typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : 'dev';

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

				const {runApply} = await import('./apply.js');
				return await runApply(args[0]!, options, io);
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

/** Prints one clear sentence for an error and returns its exit code. */
export function report(error: unknown, io: Pick<Io, 'stderr'>): number {
	const write = (text: string) => io.stderr.write(`engram-design: ${text}\n`);
	if (error instanceof UsageError) {
		const command = error.command && error.command !== 'session' ? `${error.command}: ` : '';
		write(`${command}${error.message}`);
		return 2;
	}

	if (error instanceof AnswersFileError) {
		for (const line of error.lines) write(line);
		return 2;
	}

	if (error instanceof TaskNotFoundError) {
		write(error.message);
		return 2;
	}

	if (error instanceof StoreError) {
		write(error.message);
		const detail = error.detail.trim();
		if (detail) io.stderr.write(`${detail.replace(/^/gm, '  ')}\n`);
		return 1;
	}

	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	const file = (error as NodeJS.ErrnoException | undefined)?.path;
	const reasons: Record<string, string> = {
		ENOENT: 'no such file or folder on the way there',
		ENOTDIR: 'a part of the path is a file, not a folder',
		EISDIR: 'it is a folder',
		EACCES: 'permission denied',
		EPERM: 'not permitted',
		EROFS: 'the file system is read-only',
		ENOSPC: 'no space left on the device',
	};
	if (code && file && reasons[code]) {
		// Temp files of atomic writes carry a random suffix; the user named the file without it.
		write(`cannot write or read ${file.replace(/\.\d{6,}$/, '')}: ${reasons[code]}`);
		return 1;
	}

	const message = error instanceof Error ? error.message : String(error);
	write(code ? `${message}` : `unexpected failure: ${message}`);
	return 1;
}
