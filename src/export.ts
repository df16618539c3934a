import {readFile} from 'node:fs/promises';
import type {Answers} from './answers.js';
import {AnswersFileError, parseAnswersText, validateAnswers} from './answers-file.js';
import {draftToAnswers, type DraftAnswers} from './draft.js';
import {upgradeDraft} from './drafts.js';
import {demoteHeadings} from './headings.js';
import {formatKey} from './issues.js';
import {withPlaceholders} from './preview.js';
import {draftForValidation} from './wizard.js';
import {steps} from '../steps/index.js';

// The review screen uses it too, and imports it from its own small module.
export {demoteHeadings};

/** What `export` reads: validated answers, or a draft with what it still lacks. */
export type ExportSource = {readonly answers: Answers; readonly missing: readonly string[]};

/** Reads an answers file, or a draft file of the session, for export. */
export async function readExportSource(file: string): Promise<ExportSource> {
	let raw: string;
	try {
		raw = await readFile(file, 'utf8');
	} catch (error) {
		throw new AnswersFileError([
			`${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
		]);
	}

	const data = parseAnswersText(raw.replace(/^\uFEFF/, ''), file);
	if (isDraft(data)) {
		const saved = upgradeDraft(data, file);
		const draft: DraftAnswers = draftForValidation(saved);
		const result = draftToAnswers(draft);
		if (result.ok) return {answers: result.answers, missing: []};
		const missing = [...result.errors].map(([key, message]) => `${formatKey(key)}: ${message}`);
		return {answers: withPlaceholders(draft), missing};
	}

	return {answers: validateAnswers(data, file), missing: []};
}

function isDraft(data: unknown): data is Record<string, unknown> {
	return !!data && typeof data === 'object' && 'draft' in data && 'version' in data;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** One markdown design document: title, artifacts table, the five sections with the diagram. */
export function designDocument({answers, missing}: ExportSource): string {
	const taskLine = answers.task
		? 'id' in answers.task
			? `Task: \`${answers.task.id}\``
			: `Task: ${answers.task.title} (to be created)`
		: 'Task: created on commit';
	const entities = steps.map(step => step.entity(answers, ''));
	const parts = [`# System Design: ${answers.system}`, '', `${taskLine} · Agent: ${answers.agent}`];
	if (missing.length > 0) {
		parts.push(
			'',
			`> Draft: ${missing.length} answer${missing.length === 1 ? ' is' : 's are'} still missing or invalid; placeholders in brackets stand for them.`,
		);
		for (const line of missing) parts.push(`> - ${line}`);
	}

	parts.push(
		'',
		'## Artifacts',
		'',
		'| Step | Entity | Title | Tags | Link from the task |',
		'| --- | --- | --- | --- | --- |',
		...entities.map(
			(entity, index) =>
				`| ${index + 1}. ${cell(steps[index]!.label)} | ${entity.kind} | ${cell(entity.title)} | ${entity.tags.join(', ')} | ${entity.linkType} |`,
		),
	);
	steps.forEach((step, index) => {
		const confidence = entities[index]!.confidence;
		parts.push('', `## ${index + 1}. ${step.label}`, '');
		if (confidence !== undefined) parts.push(`Confidence: ${confidence.toFixed(2)}`, '');
		parts.push(demoteHeadings(step.markdown(answers).trim()));
	});
	return `${parts.join('\n')}\n`;
}
