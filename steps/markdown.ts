// Small markdown builders shared by the step modules. Each returns undefined instead of
// an empty block, so that a heading or label never stands alone with nothing under it.

type Part = string | undefined | false;

function present(part: Part): part is string {
	return typeof part === 'string' && part.trim() !== '';
}

/** The non-empty parts, one blank line between them. */
export function blocks(...parts: readonly Part[]): string | undefined {
	const kept = parts.filter(present);
	return kept.length > 0 ? kept.join('\n\n') : undefined;
}

/** A value's later lines indented by `width`, so that they stay inside a list item. */
function hang(value: string, width: number): string {
	const pad = ' '.repeat(width);
	return value
		.split('\n')
		.map((row, index) => (index === 0 || row === '' ? row : pad + row))
		.join('\n');
}

/** `- item` for each non-empty item. */
export function bullets(items: readonly Part[]): string | undefined {
	const kept = items.filter(present);
	if (kept.length === 0) return undefined;
	return kept.map(item => `- ${hang(item, 2)}`).join('\n');
}

/** `1. item`, `2. item`… for the non-empty items. */
export function numbered(items: readonly Part[]): string | undefined {
	const kept = items.filter(present);
	if (kept.length === 0) return undefined;
	return kept
		.map((item, index) => {
			const marker = `${index + 1}. `;
			return marker + hang(item, marker.length);
		})
		.join('\n');
}

/** `Label: value`, or nothing when the value is empty. */
export function pair(label: string, value: string | undefined): string | undefined {
	return present(value) ? `${label}: ${value}` : undefined;
}

/** `**Label:** value` on one line, or nothing when the value is empty. */
export function inline(label: string, value: string | undefined): string | undefined {
	return present(value) ? `**${bare(label)}:** ${value}` : undefined;
}

/** `**Label:**` with its body on the lines below, or nothing when the body is empty. */
export function labelled(label: string, body: Part): string | undefined {
	return present(body) ? `**${bare(label)}:**\n${body}` : undefined;
}

/** A label without the colon a user may have typed after it, since one is added. */
function bare(label: string): string {
	return label.replace(/\s*:\s*$/, '');
}

/** A heading of the given level over its body, or nothing when the body is empty. */
export function section(level: number, heading: string, body: Part): string | undefined {
	return present(body) ? `${'#'.repeat(level)} ${heading}\n\n${body}` : undefined;
}

/**
 * A fenced block whose fence is longer than any run of backticks inside it, with an
 * optional info string naming its language (`mermaid`).
 */
export function fenced(body: string, language = ''): string {
	const longest = Math.max(0, ...(body.match(/`+/g) ?? []).map(run => run.length));
	const fence = '`'.repeat(Math.max(3, longest + 1));
	return `${fence}${language}\n${body}\n${fence}`;
}

/** A confidence as the seed writes it, with two decimals ("0.90"). */
export function formatConfidence(value: number): string {
	return value.toFixed(2);
}

/** The `**Confidence:**` line, or nothing when no confidence was given. */
export function confidenceLine(value: number | undefined): string | undefined {
	return value === undefined ? undefined : inline('Confidence', formatConfidence(value));
}
