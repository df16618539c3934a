/** Headings one level deeper, outside code fences, so a step's `##` sits under the document's. */
export function demoteHeadings(markdown: string): string {
	let fence: string | undefined;
	return markdown
		.split('\n')
		.map(line => {
			const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
			if (marker) {
				if (!fence) fence = marker;
				else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
				return line;
			}

			return !fence && /^#{1,5} /.test(line) ? `#${line}` : line;
		})
		.join('\n');
}
