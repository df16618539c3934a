import type {z} from 'zod';

/** A zod issue path as a reader writes it: `architecture.connections[2].to`. */
export function formatPath(path: readonly PropertyKey[]): string {
	let out = '';
	for (const part of path) {
		if (typeof part === 'number') out += `[${part}]`;
		else out += out ? `.${String(part)}` : String(part);
	}

	return out;
}

/** A draft's dotted error key (`architecture.connections.2.to`) as formatPath writes it. */
export function formatKey(key: string): string {
	return formatPath(key.split('.').map(part => (/^\d+$/.test(part) ? Number(part) : part)));
}

/** One sentence per zod issue, each led by the path of the field at fault. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
	return error.issues.map(issue => {
		const where = formatPath([...prefix, ...issue.path]);
		return visible(where ? `${where}: ${issue.message}` : issue.message);
	});
}

/**
 * Text safe to print on a terminal: control characters, and so every escape sequence, are
 * written out as `\u001B`. A message may quote what a file holds (an unknown key), and a
 * terminal would act on it.
 */
export function visible(text: string): string {
	return text.replace(
		/[\u0000-\u001F\u007F-\u009F]/g,
		char => `\\u${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
	);
}
