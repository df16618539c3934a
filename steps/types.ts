import type {z} from 'zod';
import type {Answers} from '../src/answers.js';

export type StepId = 'requirements' | 'cap' | 'consistency' | 'architecture' | 'scalability';
export type EntityKind = 'context' | 'reasoning';
export type LinkType = 'references' | 'documents';

/** One artifact as it will be stored: the same for every store. */
export type EntitySpec = {
	readonly step: StepId;
	readonly kind: EntityKind;
	readonly title: string;
	readonly tags: readonly string[];
	/** Markdown with real newlines, a `Tags:` line under the title. */
	readonly content: string;
	/** Reasonings only. */
	readonly confidence?: number;
	/** Contexts only: always `system-design`. */
	readonly source?: string;
	/** How the task links to it. */
	readonly linkType: LinkType;
};

/** How the wizard asks for one value of a step, addressed by its path in the step's answers. */
export type FieldSpec =
	| {
			readonly kind: 'line';
			readonly path: readonly (string | number)[];
			readonly label: string;
			readonly optional?: boolean;
			readonly hint?: string;
	  }
	| {
			readonly kind: 'text';
			readonly path: readonly (string | number)[];
			readonly label: string;
			readonly optional?: boolean;
			readonly hint?: string;
	  }
	| {
			readonly kind: 'number';
			readonly path: readonly (string | number)[];
			readonly label: string;
			readonly optional?: boolean;
			readonly hint?: string;
	  }
	| {
			readonly kind: 'choice';
			readonly path: readonly (string | number)[];
			readonly label: string;
			readonly options: readonly string[];
			readonly hint?: string;
	  }
	| {
			readonly kind: 'list';
			readonly path: readonly (string | number)[];
			readonly label: string;
			readonly hint?: string;
	  }
	| {
			readonly kind: 'table';
			readonly path: readonly (string | number)[];
			readonly label: string;
			readonly hint?: string;
			/** Each column is a one-line value, or a list of lines when `list` is set. */
			readonly columns: readonly {
				readonly key: string;
				readonly label: string;
				readonly optional?: boolean;
				readonly list?: boolean;
			}[];
	  };

/** Everything the program knows about one design step. */
export type StepModule = {
	readonly id: StepId;
	/** Short name for headings and progress ("CAP analysis"). */
	readonly label: string;
	/** One sentence on what the step decides. */
	readonly summary: string;
	/** Validates `answers[id]`; the single source of truth for the step's fields. */
	readonly schema: z.ZodType;
	readonly fields: readonly FieldSpec[];
	/** The step's markdown section, from whole answers. */
	markdown(answers: Answers): string;
	/** The entity the step stores. */
	entity(answers: Answers, taskId: string): EntitySpec;
};
