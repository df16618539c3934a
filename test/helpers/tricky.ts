import {writeFile} from 'node:fs/promises';
import {dump} from 'js-yaml';
import {rawExample} from '../unit/example.js';

/** Text a shell would act on if it were not quoted, and every kind of unicode. */
export const hostile = [
	`- starts with a dash, has 'single' and "double" quotes`,
	'$(touch INJECTED) and `touch INJECTED` and ${HOME} and $HOME and !! and \\ and \\n',
	'EOF',
	'ENGRAM_DESIGN_EOF',
	'ENGRAM_DESIGN_EOF_1',
	"'; touch INJECTED; echo '",
	'trailing backslash \\',
	'\ttab-indented line, then emoji 👩🏽‍💻🎉, CJK 設計, combining e\u0301 a\u0308, RTL שלום',
	'-0.5',
].join('\n');

/**
 * The example answers with hostile text in one-line fields (the system name, the task title
 * starting with `-`) and multi-line fields (with CRLF line ends, which the schema turns into
 * LF), and a task to create rather than one given by id.
 */
export function trickyAnswers(): Record<string, any> {
	const raw = rawExample() as Record<string, any>;
	raw['system'] = `Editor 'quoted' "twice" $(touch INJECTED) \`id\` \\ 😀 設計 e\u0301`;
	raw['slug'] = 'tricky-editor';
	raw['task'] = {title: `- dash-led task 'with' "quotes" $(touch INJECTED)`, priority: 'high'};
	raw['cap'].rationale = hostile.replaceAll('\n', '\r\n');
	raw['cap'].behavior[0] = `-- looks like a flag $(touch INJECTED)`;
	raw['requirements'].other.cost = `${hostile}\r\nlast line`;
	raw['architecture'].components[0].role = `role with 'quote' and \`tick\` and 設計`;
	return raw;
}

/** Writes answers as YAML with CRLF line ends throughout. */
export async function writeCrlfYaml(file: string, raw: unknown): Promise<void> {
	await writeFile(file, dump(raw, {lineWidth: -1}).replaceAll('\n', '\r\n'));
}
