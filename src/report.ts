import {AnswersFileError, TaskNotFoundError} from './errors.js';
import type {Io} from './apply.js';
import {UsageError} from './options.js';
import {StoreError} from './store.js';

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
