import path from 'node:path';
import type {Answers} from './answers.js';
import {loadAnswers} from './answers-file.js';
import {commitDesign, type CommitEvent} from './commit.js';
import {designKey, FileJournal} from './journal.js';
import type {Options} from './options.js';
import {dataDirOf, openStore} from './stores.js';
import {loadDiagramRenderer} from '../steps/mermaid.js';

export type Io = {
	readonly stdout: NodeJS.WritableStream;
	readonly stderr: NodeJS.WritableStream;
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
};

/** Applies the command-line overrides (--task, --agent) to validated answers. */
export function withOverrides(answers: Answers, options: Options): Answers {
	return {
		...answers,
		...(options.task ? {task: {id: options.task}} : {}),
		...(options.agent ? {agent: options.agent} : {}),
	};
}

/** `engram-design apply FILE`: validate, then commit through the journal. */
export async function runApply(file: string, options: Options, io: Io): Promise<number> {
	const answers = withOverrides(await loadAnswers(file, io.cwd), options);
	// The stored diagram is drawn by the renderer; it must be loaded before entities are built.
	await loadDiagramRenderer();
	const store = await openStore(options, io.env, io.cwd);
	const journal = await FileJournal.open(
		path.join(dataDirOf(options, io.cwd), 'journal'),
		designKey(answers),
		await store.describe(),
	);
	const result = await commitDesign({
		answers,
		store,
		journal,
		onEvent: event => io.stdout.write(formatEvent(event)),
	});
	io.stdout.write(`task ${result.taskId}: ${result.entities.length} artifacts and links stored\n`);
	return 0;
}

function formatEvent(event: CommitEvent): string {
	switch (event.type) {
		case 'start':
			return '';
		case 'warn':
			return `warning: ${event.message}\n`;
		case 'done':
			return `${event.reused ? 'kept   ' : 'created'} ${event.id}  ${event.label}\n`;
	}
}
