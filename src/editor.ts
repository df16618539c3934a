import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The editor command the user chose: $VISUAL, then $EDITOR, then vi. */
export function editorCommand(env: NodeJS.ProcessEnv): string {
	return env['VISUAL']?.trim() || env['EDITOR']?.trim() || 'vi';
}

type EditorOptions = {
	readonly env: NodeJS.ProcessEnv;
	/** Gives the terminal to the editor and takes it back (raw mode, the frame). */
	readonly suspend: () => void;
	readonly resume: () => void;
};

/**
 * Edits a text in the user's editor: written to a private temp file, the editor run on the
 * terminal (through `sh -c`, since $EDITOR may carry arguments, as with `code -w`), the file
 * read back. Resolves with the new text, or undefined when it is unchanged or the editor
 * failed; the temp folder is removed either way.
 */
export async function editInEditor(text: string, {env, suspend, resume}: EditorOptions): Promise<string | undefined> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-design-edit-'));
	const file = path.join(dir, 'answer.md');
	try {
		// Editors end a saved file with a newline; so does the file they are given.
		const written = text.endsWith('\n') ? text : `${text}\n`;
		writeFileSync(file, written, {mode: 0o600});
		suspend();
		let status: number | null;
		try {
			status = spawnSync('sh', ['-c', `${editorCommand(env)} "$1"`, 'sh', file], {stdio: 'inherit', env}).status;
		} finally {
			resume();
		}

		if (status !== 0) return undefined;
		const next = readFileSync(file, 'utf8').replace(/\r\n?/g, '\n');
		return next === written ? undefined : next;
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
