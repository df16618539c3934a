import {z} from '../src/zod.js';

import {LINE_LIMIT, LIST_LIMIT, TEXT_LIMIT} from './limits.js';

export {LINE_LIMIT, LIST_LIMIT, TEXT_LIMIT};

// C0 controls other than tab and newline, DEL, and C1 controls: a value that holds
// one of these would act on the terminal it is echoed to.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const LINE_BREAK = /[\r\n\u2028\u2029]/;

type Issue = {readonly input?: unknown; readonly code?: string; readonly keys?: readonly string[]};

/** "X is required" when the value is missing, else the given complaint about its type. */
function missingOr(label: string, wrongType: string) {
	return (issue: Issue) =>
		issue.input === undefined ? `${label} is required` : `${label} ${wrongType}`;
}

/** A required one-line value. */
export function line(label: string) {
	return z.string({error: missingOr(label, 'must be text')}).check(
		z.trim(),
		z.minLength(1, {error: `${label} is required`}),
		z.maxLength(LINE_LIMIT, {error: `${label} is longer than ${LINE_LIMIT} characters`}),
		z.refine<string>(value => !LINE_BREAK.test(value), {error: `${label} must be one line`}),
		z.refine<string>(value => !CONTROL.test(value), {
			error: `${label} contains a control character`,
		}),
	);
}

/** A required multi-line markdown value; CRLF and CR become LF. */
export function text(label: string) {
	return z
		.string({error: missingOr(label, 'must be text')})
		.transform(value => value.replace(/\r\n?/g, '\n'))
		.pipe(
			z.string().check(
				z.trim(),
				z.minLength(1, {error: `${label} is required`}),
				z.maxLength(TEXT_LIMIT, {error: `${label} is longer than ${TEXT_LIMIT} characters`}),
				z.refine<string>(value => !CONTROL.test(value), {
					error: `${label} contains a control character`,
				}),
			),
		);
}

/**
 * A required preformatted block, such as a diagram: like `text`, but the indentation of
 * the first line is kept; only blank lines around it and spaces at line ends go.
 */
export function block(label: string) {
	return z
		.string({error: missingOr(label, 'must be text')})
		.transform(value =>
			value
				.replace(/\r\n?/g, '\n')
				.replace(/[ \t]+$/gm, '')
				.replace(/^\n+|\n+$/g, ''),
		)
		.pipe(
			z.string().check(
				z.minLength(1, {error: `${label} is required`}),
				z.maxLength(TEXT_LIMIT, {error: `${label} is longer than ${TEXT_LIMIT} characters`}),
				z.refine<string>(value => !CONTROL.test(value), {
					error: `${label} contains a control character`,
				}),
			),
		);
}

/** One of a fixed set of values ("Choice must be CP, AP or CA"). */
export function choice<const T extends readonly [string, ...string[]]>(label: string, values: T) {
	const names =
		values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
	return z.enum(values, {error: missingOr(label, `must be ${names}`)});
}

/** A list of at least `min` items. */
export function list<T extends z.ZodType>(item: T, label: string, min = 0) {
	return z
		.array(item, {error: missingOr(label, 'must be a list')})
		.check(
			z.minLength(min, {error: `${label} needs at least ${min} item${min === 1 ? '' : 's'}`}),
			z.maxLength(LIST_LIMIT, {error: `${label} holds more than ${LIST_LIMIT} items`}),
		);
}

/** A required group of named fields that accepts no other keys. */
export function group<T extends z.core.$ZodLooseShape>(label: string, shape: T) {
	return z.strictObject(shape, {
		error(issue: Issue) {
			if (issue.code === 'unrecognized_keys') {
				const keys = issue.keys ?? [];
				const names = keys.map(key => `"${key}"`).join(', ');
				return `${label} has unknown field${keys.length === 1 ? '' : 's'} ${names}`;
			}

			return missingOr(label, 'must be a group of fields')(issue);
		},
	});
}

/** A confidence between 0 and 1. */
export function confidence(label = 'Confidence') {
	return z
		.number({error: missingOr(label, 'must be a number between 0 and 1')})
		.check(
			z.gte(0, {error: `${label} must be between 0 and 1`}),
			z.lte(1, {error: `${label} must be between 0 and 1`}),
		);
}

/** Largest figure an estimate takes: big enough for any system, small enough to multiply. */
export const AMOUNT_LIMIT = 1e12;

/** A finite number above 0, or at least 0 when `zeroAllowed` (a growth of none). */
export function amount(label: string, zeroAllowed = false) {
	const number = z.number({
		error: (issue: Issue) =>
			typeof issue.input === 'number'
				? `${label} must be a finite number`
				: missingOr(label, 'must be a number')(issue),
	});
	return number.check(
		zeroAllowed
			? z.gte(0, {error: `${label} must be 0 or more`})
			: z.positive({error: `${label} must be more than 0`}),
		z.lte(AMOUNT_LIMIT, {error: `${label} must be at most 1,000,000,000,000`}),
	);
}
