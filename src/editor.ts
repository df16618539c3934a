import {spawnSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {sanitizeText} from './keys.js';

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

/** What came of editing a text: the new text, nothing changed, or why the editor failed. */
export type EditorResult =
	| {readonly kind: 'changed'; readonly text: string}
	| {readonly kind: 'unchanged'}
	| {readonly kind: 'failed'; readonly message: string};

/**
 * Edits a text in the user's editor: written to a private temp file, the editor run on the
 * terminal (through `sh -c`, since $EDITOR may carry arguments, as with `code -w`), the file
 * read back. Resolves with the new text, or undefined when it is unchanged or the editor
 * failed; the temp folder is removed either way.
 */
export async function editInEditor(
	text: string,
	{env, suspend, resume}: EditorOptions,
): Promise<EditorResult> {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'engram-design-edit-'));
	const file = path.join(dir, 'answer.md');
	try {
		// Editors end a saved file with a newline; so does the file they are given.
		const written = text.endsWith('\n') ? text : `${text}\n`;
		writeFileSync(file, written, {mode: 0o600});
		suspend();
		const command = editorCommand(env);
		let status: number | null;
		try {
			status = spawnSync('sh', ['-c', `${command} "$1"`, 'sh', file], {
				stdio: 'inherit',
				env,
			}).status;
		} finally {
			resume();
		}

		// sh answers 127 when it cannot find the editor, 126 when it cannot run it.
		if (status === 127 || status === 126) {
			return {
				kind: 'failed',
				message: `the editor "${command}" could not be started; set VISUAL or EDITOR`,
			};
		}

		if (status !== 0) {
			return {
				kind: 'failed',
				message: `the editor "${command}" exited with status ${status ?? 'unknown'}; the field is unchanged`,
			};
		}

		// What an editor saves is read like a paste: no escape sequence or control character
		// reaches the field, or the terminal it is drawn on.
		const next = sanitizeText(readFileSync(file, 'utf8').replace(/\r\n?/g, '\n'));
		return next === written ? {kind: 'unchanged'} : {kind: 'changed', text: next};
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}
