import path from 'node:path';
import {readFile} from 'node:fs/promises';
import {CORE_SCHEMA, load, YAMLException} from 'js-yaml';
import {answersSchema, type Answers} from './answers.js';
import {AnswersFileError} from './errors.js';
import {describeIssues} from './issues.js';

export {AnswersFileError};

/** Reads a JSON or YAML answers file without validating it; `file` is read from `cwd`. */
export async function readAnswersFile(file: string, cwd = process.cwd()): Promise<unknown> {
	let raw: string;
	try {
		raw = await readFile(path.resolve(cwd, file), 'utf8');
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const why =
			code === 'ENOENT'
				? 'no such file'
				: code === 'EISDIR'
					? 'it is a folder'
					: code === 'EACCES'
						? 'permission denied'
						: (error as Error).message;
		throw new AnswersFileError([`${file}: cannot read the answers file (${why})`]);
	}

	return parseAnswersText(raw.replace(/^\uFEFF/, ''), file);
}

/** Parses answers text as JSON when it looks like JSON, else as YAML. */
export function parseAnswersText(raw: string, file: string): unknown {
	if (raw.trim() === '') throw new AnswersFileError([`${file}: the answers file is empty`]);
	if (/^\s*[{[]/.test(raw) && !/\.ya?ml$/i.test(file)) {
		try {
			return JSON.parse(raw);
		} catch (error) {
			throw new AnswersFileError([`${file}: not valid JSON (${(error as Error).message})`]);
		}
	}

	// YAML 1.2's core schema: a date stays the text it is, and `yes` is a word, not true.
	try {
		return load(raw, {schema: CORE_SCHEMA});
	} catch (error) {
		if (!(error instanceof YAMLException)) throw error;
		const at = error.mark;
		const where = at ? ` at line ${at.line + 1}, column ${at.column + 1}` : '';
		throw new AnswersFileError([`${file}: not valid JSON or YAML${where} (${error.reason})`]);
	}
}

/** Validates parsed answers, naming every bad field path. */
export function validateAnswers(data: unknown, file: string): Answers {
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new AnswersFileError([`${file}: the answers file must hold one object (a mapping)`]);
	}

	const result = answersSchema.safeParse(data);
	if (!result.success) {
		throw new AnswersFileError(describeIssues(result.error).map(line => `${file}: ${line}`));
	}

	return result.data;
}

/** Reads and validates an answers file; messages name it as given. */
export async function loadAnswers(file: string, cwd = process.cwd()): Promise<Answers> {
	return validateAnswers(await readAnswersFile(file, cwd), file);
}
