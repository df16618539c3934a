import {closeSync, fsyncSync, openSync, renameSync, rmSync, writeFileSync} from 'node:fs';

let serial = 0;

/**
 * Replaces a file so that a crash leaves the old contents or the new, never a mix: the text
 * goes to a temp file beside it, which is flushed to disk and then renamed over it. Done with
 * a handful of synchronous calls, with nothing to wait for between them.
 *
 * write-file-atomic's sync path does the same, but loading it costs some 7-10 ms (it loads
 * node:crypto, signal-exit and worker_threads), and the draft saver is on the path to the
 * Start screen's first frame, the journal on the path to a commit's first engram call.
 * write-file-atomic stays for the files written once per command (export --out, push's map).
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
