import {readFileSync} from 'node:fs';
import {CORE_SCHEMA, load} from 'js-yaml';
import {answersSchema, type Answers} from '../../src/answers.js';

const examplePath = new URL('../../examples/collab-editor.yaml', import.meta.url);

/** The example answers file as written, before validation. */
export function rawExample(): Record<string, unknown> {
	return load(readFileSync(examplePath, 'utf8'), {schema: CORE_SCHEMA}) as Record<string, unknown>;
}

/** The example answers file, validated. */
export function example(): Answers {
	return answersSchema.parse(rawExample());
}

/** A deep copy of `value` with `change` applied to it, for making variants. */
export function variant<T>(value: T, change: (copy: T) => void): T {
	const copy = structuredClone(value);
	change(copy);
	return copy;
}

type Key = string | number;

/** The value at `path` inside `value`, or undefined. */
export function getAt(value: unknown, path: readonly Key[]): unknown {
	let here = value;
	for (const key of path) {
		if (here === null || typeof here !== 'object') return undefined;
		here = (here as Record<Key, unknown>)[key];
	}

	return here;
}

/**
 * A deep copy of `value` with the value at `path` replaced, or removed when `next` is
 * absent; missing groups and lists on the way are made.
 */
export function setAt(value: unknown, path: readonly Key[], ...next: [] | [unknown]): unknown {
	const copy = structuredClone(value);
	let parent = copy as Record<Key, unknown>;
	for (const [index, key] of path.slice(0, -1).entries()) {
		parent[key] ??= typeof path[index + 1] === 'number' ? [] : {};
		parent = parent[key] as Record<Key, unknown>;
	}

	const last = path.at(-1)!;
	if (next.length === 0) delete parent[last];
	else parent[last] = next[0];
	return copy;
}
