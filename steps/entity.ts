import type {Answers} from '../src/answers.js';
import {slugOf} from '../src/slug.js';
import type {EntitySpec, StepId} from './types.js';

type EntityShape = {
	readonly step: StepId;
	readonly kind: EntitySpec['kind'];
	/** Title before the system name, as in `CAP Analysis`. */
	readonly titlePrefix: string;
	/** The step's own tag, between `system-design` and the slug. */
	readonly tag: string;
};

/** The title, tags and content of a step's entity (DESIGN §3). */
export function buildEntity(
	shape: EntityShape,
	answers: Answers,
	body: string,
	confidence?: number,
): EntitySpec {
	const title = `${shape.titlePrefix}: ${answers.system}`;
	const tags = ['system-design', shape.tag, slugOf(answers)];
	// Engram discards --tags on contexts and reasonings, so they also go into the text.
	const content = `# ${title}\n\nTags: ${tags.join(',')}\n\n${body.trim()}\n`;
	const common = {step: shape.step, title, tags, content};
	return shape.kind === 'context'
		? {...common, kind: 'context', source: 'system-design', linkType: 'references'}
		: {...common, kind: 'reasoning', confidence: confidence ?? 0, linkType: 'documents'};
}
