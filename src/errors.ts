// Errors the command line turns into one sentence and an exit code. They live apart from the
// modules that throw them, so that the entry point can recognise them without loading the
// YAML parser and the answers schema.
import {visible} from './issues.js';

/** An answers file that cannot be used: each line names the field or place at fault. */
export class AnswersFileError extends Error {
	readonly lines: readonly string[];
	constructor(lines: readonly string[]) {
		const shown = lines.map(line => visible(line));
		super(shown.join('\n'));
		this.name = 'AnswersFileError';
		this.lines = shown;
	}
}

/** The design names a task id that the store does not hold. */
export class TaskNotFoundError extends Error {
	constructor(readonly taskId: string) {
		super(`task ${taskId} was not found in the store; give a full id or create a task`);
		this.name = 'TaskNotFoundError';
	}
}
