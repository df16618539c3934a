import path from 'node:path';
import type {Answers} from './answers.js';
import {loadAnswers} from './answers-file.js';
import {withOverrides, type Io} from './apply.js';
import {commitDesign, type OpKey} from './commit.js';
import {createArgv, idLinePatterns, type CreateOp} from './engram.js';
import {MemoryJournal} from './journal.js';
import type {Options} from './options.js';
import type {NewContext, NewLink, NewReasoning, NewTask, Store, TaskSummary} from './store.js';

// A value that stands for a shell variable inside an argv element. NUL cannot occur in an
// argv element, so it never collides with text a user typed.
const mark = (name: string) => `\0${name}\0`;
const markPattern = /\0([A-Za-z_][A-Za-z0-9_]*)\0/;

/** One planned engram call of the script, with the variable that receives its id. */
type ScriptOp = {readonly key: OpKey; readonly label: string; readonly op: CreateOp};

/**
 * A store that performs nothing: it records each create command `commitDesign` asks for and
 * answers with a variable mark in place of the id Engram will print. Running the real commit
 * against it gives the script the same operations, order and values as `apply`.
 */
class RecordingStore implements Store {
	readonly kind = 'engram';
	readonly ops: ScriptOp[] = [];
	current: {key: OpKey; label: string} = {key: 'task', label: 'task'};

	async describe(): Promise<string> {
		return 'a bash script';
	}

	identity(): string {
		return 'a bash script';
	}

	async createTask(task: NewTask): Promise<string> {
		return this.add({kind: 'task', task});
	}

	async createContext(context: NewContext): Promise<string> {
		return this.add({kind: 'context', context});
	}

	async createReasoning(reasoning: NewReasoning): Promise<string> {
		return this.add({kind: 'reasoning', reasoning});
	}

	async createLink(link: NewLink): Promise<string> {
		return this.add({kind: 'relationship', link});
	}

	async listTasks(): Promise<TaskSummary[]> {
		return [];
	}

	// A script starts from a fresh journal: no operation is ever pending, so nothing is sought.
	async findEntity(): Promise<string | undefined> {
		return undefined;
	}

	// A task named by id is used exactly as given, from the variable TASK: the script does
	// not look it up.
	async findTask(): Promise<TaskSummary> {
		return {id: mark('TASK'), title: ''};
	}

	private add(op: CreateOp): string {
		this.ops.push({...this.current, op});
		return mark(variableOf(this.current.key));
	}
}

/** The shell variable that holds the id an operation produces: `CAP`, `CAP_LINK`. */
export function variableOf(key: OpKey): string {
	return key.startsWith('link:') ? `${key.slice(5).toUpperCase()}_LINK` : key.toUpperCase();
}

/** A word for bash: bare when it holds only safe characters, else single-quoted. */
export function shellQuote(value: string): string {
	if (/^[A-Za-z0-9_./:=,@%+-]+$/.test(value)) return value;
	return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** An argv element for bash, with each variable mark expanded as a double-quoted `$NAME`. */
function shellWord(element: string): string {
	const parts = element.split(markPattern);
	if (parts.length === 1) return shellQuote(element);
	return parts
		.map((part, index) => (index % 2 === 1 ? `"$${part}"` : part === '' ? '' : shellQuote(part)))
		.join('');
}

/** A heredoc delimiter that is not a line of the text. */
function delimiterFor(text: string): string {
	const lines = new Set(text.split('\n'));
	let delimiter = 'ENGRAM_DESIGN_EOF';
	for (let n = 1; lines.has(delimiter); n++) delimiter = `ENGRAM_DESIGN_EOF_${n}`;
	return delimiter;
}

/** Lines of bash that write text to a file byte for byte: a quoted heredoc, its newline cut. */
export function heredoc(file: string, text: string): string[] {
	const delimiter = delimiterFor(text);
	const body = text.endsWith('\n') ? text : `${text}\n`;
	const lines = [`cat >${file} <<'${delimiter}'`, `${body}${delimiter}`];
	// A heredoc always ends with a newline; the text did not, so the last byte goes.
	if (!text.endsWith('\n')) lines.push(`truncate -s -1 ${file}`);
	return lines;
}

/** A bash array of the sed program that prints the id from the first line a pattern matches. */
function sedProgram(name: string, patterns: readonly string[]): string {
	const lines = patterns.map(
		pattern => `-e ${shellQuote(`s/${pattern.replaceAll('/', '\\/')}/\\1/`)} -e 't hit'`,
	);
	lines.push('-e d -e :hit -e p -e q');
	return `${name}=(\n\t${lines.join('\n\t')}\n)`;
}

const idProgram = (kind: CreateOp['kind']) => `${kind}_id`;

const header = `set -euo pipefail

ENGRAM=\${ENGRAM:-engram}
tmp=$(mktemp -d)
trap 'rm -rf -- "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Prints the id in engram's output (\$2): the first line that the sed program (the rest of
# the arguments) rewrites to it. No id stops the script.
id_from() {
	local what=$1 out=$2 id
	shift 2
	id=$(sed -n -E "$@" <<<"$out")
	if [ -z "$id" ]; then
		printf 'engram-design: engram %s printed no id; stopping here\\n' "$what" >&2
		exit 1
	fi
	printf '%s' "$id"
}
`;

const findRepo = `# Engram keeps its store in the git repository of the folder it runs in: run it at
# the top of the work tree around this folder, as apply does.
root=$PWD
while [ "$root" != / ] && [ ! -e "$root/.git" ]; do root=$(dirname -- "$root"); done
if [ -e "$root/.git" ]; then cd -- "$root"; fi
`;

/**
 * The bash script `apply --dry-run` prints: the commit `apply` would make, as engram
 * commands with the same argv in the same order. Each id is read from engram's output into a
 * variable (`TASK`, `REQUIREMENTS`, … `CAP_LINK`); contents go through quoted heredocs into
 * files of a temporary folder. `repo` is the folder engram runs in when `--repo` was given.
 */
export async function dryRunScript({
	answers,
	file,
	repo,
}: {
	answers: Answers;
	file: string;
	repo?: string;
}): Promise<string> {
	// The schema refuses control characters; this keeps marks unambiguous whatever it allows.
	if (holdsNul(answers)) {
		throw new Error('the answers hold a NUL character, which no argv element can carry');
	}
	const store = new RecordingStore();
	await commitDesign({
		answers,
		store,
		journal: new MemoryJournal(),
		onEvent: event => {
			if (event.type === 'start') store.current = {key: event.key, label: event.label};
		},
	});

	const out: string[] = [
		'#!/usr/bin/env bash',
		`# engram-design apply ${oneLine(path.basename(file))} --dry-run: the design of`,
		`# ${oneLine(answers.system)}, stored with the engram binary.`,
		'# Run it with bash; ENGRAM names the binary (default: engram on PATH). It stops at the',
		'# first command that fails.',
		header,
		'# sed programs that read the new id from the output of each create command.',
		...(['task', 'context', 'reasoning', 'relationship'] as const)
			.filter(kind => store.ops.some(({op}) => op.kind === kind))
			.map(kind => sedProgram(idProgram(kind), idLinePatterns[kind])),
		'',
		repo === undefined ? findRepo : `cd -- ${shellQuote(repo)}\n`,
	];
	if (answers.task && 'id' in answers.task) {
		out.push(`TASK=${shellQuote(answers.task.id)}`, '');
	}

	let fileCount = 0;
	for (const {key, label, op} of store.ops) {
		const lines: string[] = [`# ${oneLine(label)}`];
		const argv = createArgv(op, ({flag, value}) => {
			fileCount += 1;
			const name = `${fileCount}-${flag}.txt`;
			lines.push(...heredoc(`"$tmp/${name}"`, value));
			return `${mark('tmp')}/${name}`;
		});
		const variable = variableOf(key);
		const what = shellQuote(`${op.kind} create`);
		lines.push(
			`out=$("$ENGRAM" ${argv.map(element => shellWord(element)).join(' ')} </dev/null)`,
			`${variable}=$(id_from ${what} "$out" "\${${idProgram(op.kind)}[@]}")`,
			`printf 'created %s  %s\\n' "$${variable}" ${shellQuote(oneLine(label))}`,
			'',
		);
		out.push(...lines);
	}

	out.push(`printf 'task %s: design stored\\n' "$TASK"`);
	return `${out.join('\n')}\n`;
}

function holdsNul(value: unknown): boolean {
	if (typeof value === 'string') return value.includes('\0');
	if (value && typeof value === 'object') return Object.values(value).some(holdsNul);
	return false;
}

// Text for a comment line: line breaks and other controls shown as spaces.
function oneLine(text: string): string {
	return text.replace(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g, ' ');
}

/** `engram-design apply FILE --dry-run`: validate the file, then print the script. */
export async function runDryRun(file: string, options: Options, io: Io): Promise<number> {
	const answers = withOverrides(await loadAnswers(file, io.cwd), options);
	const repo = options.repo === undefined ? undefined : path.resolve(io.cwd, options.repo);
	io.stdout.write(await dryRunScript({answers, file, ...(repo === undefined ? {} : {repo})}));
	return 0;
}
