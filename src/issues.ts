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

/** One sentence per zod issue, each led by the path of the field at fault. */
export function describeIssues(error: z.ZodError, prefix: readonly PropertyKey[] = []): string[] {
	return error.issues.map(issue => {
		const where = formatPath([...prefix, ...issue.path]);
		return where ? `${where}: ${issue.message}` : issue.message;
	});
}
