import {closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync} from 'node:fs';

let serial = 0;

/**
 * Replaces a file so that a crash leaves the old contents or the new, never a mix: the text
 * goes to a temp file beside it, which is flushed to disk and then renamed over it. Done with
 * a handful of synchronous calls, with nothing to wait for between them.
 */
export function writeFileAtomicSync(file: string, text: string): void {
	const temp = `${file}.${process.pid}.${++serial}.tmp`;
	try {
		const fd = openSync(temp, 'w');
		try {
			writeFileSync(fd, text);
			fsyncSync(fd);
		} finally {
			closeSync(fd);
		}

		renameSync(temp, file);
	} catch (error) {
		rmSync(temp, {force: true});
		throw error;
	}
}
