import type {Answers} from './answers.js';
import {getIn, normalizeDraft, setIn, type DraftAnswers, type Path} from './draft.js';
import {steps} from './schemas.js';
import type {FieldSpec} from '../steps/types.js';

/** The draft with every missing value shown as the seed's `[Label]` placeholder. */
export function withPlaceholders(draft: DraftAnswers): Answers {
	let filled = normalizeDraft(draft) as Record<string, unknown>;
	const fill = (path: Path, value: unknown) => {
		const current = getIn(filled, path);
		const missing =
			current === undefined ||
			current === '' ||
			(Array.isArray(current) && current.length === 0 && value !== undefined);
		if (missing) filled = setIn(filled, path, value);
	};

	fill(['system'], '[System Name]');
	fill(['agent'], 'default');
	for (const step of steps) {
		for (const field of step.fields) fill([step.id, ...field.path], placeholder(field));
		// Rows already started get placeholders for their empty cells.
		for (const field of step.fields) {
			if (field.kind !== 'table') continue;
			const rows = getIn(filled, [step.id, ...field.path]);
			if (!Array.isArray(rows)) continue;
			rows.forEach((_, row) => {
				for (const column of field.columns) {
					if (column.optional) continue;
					fill(
						[step.id, ...field.path, row, column.key],
						column.list ? [`[${column.label}]`] : `[${column.label}]`,
					);
				}
			});
		}
	}

	return filled as Answers;
}

function placeholder(field: FieldSpec): unknown {
	switch (field.kind) {
		case 'number':
			return field.optional ? undefined : 0;
		case 'choice':
			return field.options[0];
		case 'list':
			return [`[${field.label}]`];
		case 'table':
			return [
				Object.fromEntries(
					field.columns
						.filter(column => !column.optional)
						.map(column => [column.key, column.list ? [`[${column.label}]`] : `[${column.label}]`]),
				),
			];
		default:
			return field.optional ? undefined : `[${field.label}]`;
	}
}

/** The markdown a step would store, with placeholders for what is not yet answered. */
export function previewMarkdown(draft: DraftAnswers, stepIndex: number): string {
	const step = steps[stepIndex];
	if (!step) return '';
	try {
		return step.entity(withPlaceholders(draft), '[TASK_ID]').content;
	} catch (error) {
		return `The preview cannot be drawn yet: ${(error as Error).message}`;
	}
}
