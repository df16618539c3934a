import type {z} from 'zod';
import type {Answers} from './answers.js';
import {visible} from './issues.js';
import {answerSchemasNow} from './schemas.js';

/** A path into the answers object: keys and list indexes. */
export type Path = readonly (string | number)[];

/**
 * What the wizard edits and a draft file stores: the answers as typed, possibly incomplete.
 * Numbers are kept as the text typed, so "0." survives until it becomes "0.8".
 */
export type DraftAnswers = Record<string, unknown>;

/** The value at a path, or undefined. */
export function getIn(value: unknown, path: Path): unknown {
	let current = value;
	for (const key of path) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string | number, unknown>)[key];
	}

	return current;
}

/** A copy of `value` with `next` at `path`, creating objects and lists on the way. */
export function setIn<T>(value: T, path: Path, next: unknown): T {
	if (path.length === 0) return next as T;
	const [key, ...rest] = path as [string | number, ...(string | number)[]];
	const child = getIn(value, [key]);
	const base =
		value !== null && typeof value === 'object' ? value : typeof key === 'number' ? [] : {};
	const copy: Record<string | number, unknown> | unknown[] = Array.isArray(base)
		? [...base]
		: {...(base as Record<string, unknown>)};
	(copy as Record<string | number, unknown>)[key] = setIn(child, rest, next);
	return copy as T;
}

/**
 * Where a model holds numbers and which of its groups may be left out, as dotted paths
 * with `*` for a list index: `scalability.estimate.users`.
 */
export type DraftShape = {
	readonly numeric: ReadonlySet<string>;
	readonly optionalGroups: ReadonlySet<string>;
};

type JsonSchema = {
	readonly type?: string;
	readonly properties?: Readonly<Record<string, JsonSchema>>;
	readonly required?: readonly string[];
	readonly items?: JsonSchema;
	readonly anyOf?: readonly JsonSchema[];
};

let answersShape: DraftShape | undefined;

/** The shape of the answers model, read once from its JSON Schema. */
export function draftShape(): DraftShape {
	answersShape ??= shapeOf(answerSchemasNow().inputJsonSchema() as JsonSchema);
	return answersShape;
}

/** The numeric places and optional groups of a JSON Schema. */
export function shapeOf(schema: JsonSchema): DraftShape {
	const numeric = new Set<string>();
	const optionalGroups = new Set<string>();
	const walk = (node: JsonSchema, path: string, optional: boolean) => {
		if (node.type === 'number' || node.type === 'integer') numeric.add(path);
		if (node.type === 'object' && optional) optionalGroups.add(path);
		for (const [key, child] of Object.entries(node.properties ?? {})) {
			walk(child, path ? `${path}.${key}` : key, !(node.required ?? []).includes(key));
		}

		if (node.items) walk(node.items, path ? `${path}.*` : '*', false);
		for (const branch of node.anyOf ?? []) walk(branch, path, false);
	};

	walk(schema, '', false);
	return {numeric, optionalGroups};
}

/** The key of a place in a draft shape: list indexes as `*`. */
function shapeKey(path: Path): string {
	return path.map(key => (typeof key === 'number' ? '*' : key)).join('.');
}

// A number as typed: "12", "-0.5", ".5", "1e6", "1,000,000" or "1_000_000".
const wholePart = String.raw`(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:_\d{3})+|\d+)`;
const numberText = new RegExp(String.raw`^[+-]?${wholePart}?(?:\.\d*)?(?:e[+-]?\d+)?$`, 'i');

/** The number a text spells, or undefined when it spells none. */
export function numberFrom(text: string): number | undefined {
	const trimmed = text.trim();
	if (!/\d/.test(trimmed) || !numberText.test(trimmed)) return undefined;
	const value = Number(trimmed.replace(/[,_]/g, ''));
	return Number.isNaN(value) ? undefined : value;
}

/**
 * Turns a draft into candidate answers for validation: blank optional values dropped,
 * trailing blank list rows dropped, an optional group left wholly blank dropped, number
 * texts made numbers where the model holds a number (other text stays, so the schema says
 * it must be a number). Nothing here can lose typed text: it works on a copy.
 */
export function normalizeDraft(draft: DraftAnswers, shape: DraftShape = draftShape()): unknown {
	return clean(draft, [], shape);
}

function clean(value: unknown, path: Path, shape: DraftShape): unknown {
	if (typeof value === 'string') {
		if (!shape.numeric.has(shapeKey(path))) return value;
		return numberFrom(value) ?? value;
	}

	if (Array.isArray(value)) {
		// Only trailing blank rows go: an error on a later row must keep the index the user sees.
		const items = value.map((item, index) => clean(item, [...path, index], shape));
		while (items.length > 0 && isBlank(items[items.length - 1])) items.pop();
		return items;
	}

	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, item] of Object.entries(value)) {
			const cleaned = clean(item, [...path, key], shape);
			// Blank text is dropped, so the schema reports it missing; objects stay, so that
			// errors land on their fields rather than on the object.
			if (cleaned === undefined || (typeof cleaned === 'string' && cleaned.trim() === '')) continue;
			out[key] = cleaned;
		}

		// A group that may be left out and was left blank is left out.
		if (shape.optionalGroups.has(shapeKey(path)) && isBlank(out)) return undefined;
		return out;
	}

	return value;
}

function isBlank(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.every(item => isBlank(item));
	if (typeof value === 'object') return Object.values(value).every(item => isBlank(item));
	return false;
}

export type FieldErrors = ReadonlyMap<string, string>;

/** The key of a path in an error map: `cap.behavior.0`. */
export function pathKey(path: Path): string {
	return path.join('.');
}

/** Validates one part of a draft against a schema; errors keyed by full path. */
export function validatePart(
	schema: z.ZodType,
	draft: DraftAnswers,
	prefix: Path,
): {ok: true; value: unknown} | {ok: false; errors: FieldErrors} {
	const candidate = prefix.length ? getIn(normalizeDraft(draft), prefix) : normalizeDraft(draft);
	const result = schema.safeParse(candidate ?? {});
	if (result.success) return {ok: true, value: result.data};
	const errors = new Map<string, string>();
	for (const issue of result.error.issues) {
		const key = pathKey([...prefix, ...(issue.path as (string | number)[])]);
		if (!errors.has(key)) errors.set(key, visible(issue.message));
	}

	return {ok: false, errors};
}

/** The whole draft as validated answers, or the errors that block it. */
export function draftToAnswers(
	draft: DraftAnswers,
): {ok: true; answers: Answers} | {ok: false; errors: FieldErrors} {
	const result = validatePart(answerSchemasNow().answers, draft, []);
	return result.ok ? {ok: true, answers: result.value as Answers} : result;
}
