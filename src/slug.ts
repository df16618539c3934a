/** The slug the design's tags use: the given one, or one made from the system name. */
export function slugOf(answers: {
	readonly system: string;
	readonly slug?: string | undefined;
}): string {
	if (answers.slug) return answers.slug;
	return deriveSlug(answers.system);
}

/** Lower-case ASCII words of a name joined by dashes ("Doc Editor" → "doc-editor"). */
export function deriveSlug(name: string): string {
	const slug = name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 64)
		.replace(/-+$/, '');
	return slug || 'system';
}
