import {parseArgs} from 'node:util';

export const commands = ['apply', 'export', 'show', 'list', 'push', 'schema', 'resume'] as const;
export type Command = (typeof commands)[number] | 'session';

/** Options every command accepts. */
export type Options = {
	readonly engram?: string;
	readonly store?: 'engram' | 'embedded';
	readonly repo?: string;
	readonly dataDir?: string;
	readonly agent?: string;
	readonly task?: string;
	readonly color: boolean;
	readonly dryRun: boolean;
	readonly out?: string;
};

export type Invocation =
	| {readonly kind: 'help'; readonly command?: Command}
	| {readonly kind: 'version'}
	| {
			readonly kind: 'run';
			readonly command: Command;
			readonly args: readonly string[];
			readonly options: Options;
	  };

/** Wrong use of the command line: one sentence naming the command or option at fault. */
export class UsageError extends Error {
	constructor(
		message: string,
		readonly command?: Command,
	) {
		super(message);
		this.name = 'UsageError';
	}
}

const optionSpec = {
	engram: {type: 'string'},
	store: {type: 'string'},
	repo: {type: 'string'},
	'data-dir': {type: 'string'},
	agent: {type: 'string'},
	task: {type: 'string'},
	color: {type: 'boolean'},
	'dry-run': {type: 'boolean'},
	out: {type: 'string'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
} as const;

const commandOnly: Record<string, readonly Command[]> = {
	'dry-run': ['apply'],
	out: ['export'],
};

const arity: Record<Command, {min: number; max: number; usage: string}> = {
	session: {min: 0, max: 0, usage: 'engram-design'},
	apply: {min: 1, max: 1, usage: 'engram-design apply FILE'},
	export: {min: 1, max: 1, usage: 'engram-design export FILE'},
	show: {min: 1, max: 1, usage: 'engram-design show TASK_ID'},
	list: {min: 0, max: 0, usage: 'engram-design list'},
	push: {min: 0, max: 0, usage: 'engram-design push'},
	schema: {min: 0, max: 0, usage: 'engram-design schema'},
	resume: {min: 0, max: 0, usage: 'engram-design resume'},
};

/** Reads the command line into a command, its arguments and options. */
export function parseCommandLine(argv: readonly string[]): Invocation {
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			options: optionSpec,
			allowPositionals: true,
			allowNegative: true,
			strict: true,
		});
	} catch (error) {
		throw new UsageError(explainParseError(error as Error & {code?: string}), commandIn(argv));
	}

	const {values, positionals} = parsed;
	const [first, ...rest] = positionals;
	let command: Command = 'session';
	let args: string[] = positionals;
	if (first !== undefined) {
		if (!(commands as readonly string[]).includes(first)) {
			throw new UsageError(`unknown command "${first}"; the commands are ${commands.join(', ')}`);
		}

		command = first as Command;
		args = rest;
	}

	if (values.help) return {kind: 'help', command: first === undefined ? undefined : command};
	if (values.version) return {kind: 'version'};

	for (const [option, allowed] of Object.entries(commandOnly)) {
		if (values[option as keyof typeof values] !== undefined && !allowed.includes(command)) {
			throw new UsageError(`--${option} applies only to ${allowed.join(', ')}`, command);
		}
	}

	const {min, max, usage} = arity[command];
	if (args.length < min) throw new UsageError(`missing argument; usage: ${usage}`, command);
	if (args.length > max) {
		throw new UsageError(`unexpected argument "${args[max]}"; usage: ${usage}`, command);
	}

	const store = values.store;
	if (store !== undefined && store !== 'engram' && store !== 'embedded') {
		throw new UsageError(`--store must be engram or embedded, not "${store}"`, command);
	}

	for (const name of ['engram', 'repo', 'data-dir', 'agent', 'task', 'out'] as const) {
		const value = values[name];
		if (value !== undefined && value.trim() === '') {
			throw new UsageError(`--${name} needs a value`, command);
		}
	}

	if (values.agent !== undefined && !/^[^-\s][^\s,]*$/.test(values.agent)) {
		throw new UsageError('--agent must be one word, not starting with a dash', command);
	}

	return {
		kind: 'run',
		command,
		args,
		options: {
			engram: values.engram,
			store,
			repo: values.repo,
			dataDir: values['data-dir'],
			agent: values.agent,
			task: values.task,
			color: values.color ?? true,
			dryRun: values['dry-run'] ?? false,
			out: values.out,
		},
	};
}

function commandIn(argv: readonly string[]): Command | undefined {
	return argv.find((arg): arg is Command => (commands as readonly string[]).includes(arg));
}

function explainParseError(error: Error & {code?: string}): string {
	const option = /'([^']+)'/.exec(error.message)?.[1];
	switch (error.code) {
		case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
			return `unknown option ${option ?? ''}; see --help`.replace('  ', ' ');
		case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
			if (option && /argument missing/.test(error.message))
				return `${option.split(' ')[0]} needs a value`;
			if (option && /ambiguous/.test(error.message)) {
				const name = option.split(' ')[0];
				return `${name} needs a value; a value that starts with a dash is written ${name}=-VALUE`;
			}

			return `${option ?? 'an option'} takes no value`;
		default:
			return error.message.split('.')[0] ?? error.message;
	}
}

export const programHelp = `\
engram-design — a guided system-design session that stores every artifact in Engram

Usage:
  engram-design                 interactive session (offers to resume a draft)
  engram-design resume          reopen the saved draft at the step and field it was left
  engram-design apply FILE      validate an answers file (JSON or YAML), then commit it
      --dry-run                 print the engram commands as a runnable bash script instead
  engram-design export FILE     write the design document (markdown) of an answers file or draft
      --out PATH                write it to PATH instead of standard output
  engram-design show TASK_ID    render the design stored for a task
  engram-design list            the designs in the store, newest first
  engram-design push            copy the embedded store into the engram binary's store, once
  engram-design schema          the answers model as JSON Schema

Options:
  --engram PATH        the engram binary (else $ENGRAM_BIN, else engram on PATH)
  --store KIND         engram or embedded (default: engram when a binary is found)
  --repo DIR           the git repository Engram stores into (default: the one around the cwd)
  --data-dir DIR       drafts, journals and the embedded store (default: ./.engram-design)
  --agent NAME         the agent that owns tasks and links (default: default)
  --task ID            link the design to this existing task
  --no-color           no colour (also when NO_COLOR is set or output is not a terminal)
  -h, --help           this help, or a command's: engram-design apply --help
  -v, --version        the version

Exit codes: 0 done, 1 failure (Engram failed, I/O), 2 usage or invalid input.

Environment:
  ENGRAM_BIN                the engram binary, when --engram is not given
  ENGRAM_DESIGN_TIMEOUT_MS  the longest one engram call may take (default: 30000)`;

export const commandHelp: Record<Command, string> = {
	session: programHelp,
	resume: `Usage: engram-design resume [options]

Reopens the saved draft at the step and field where it was left, then goes on as the
interactive session does. Needs a terminal.`,
	apply: `Usage: engram-design apply FILE [--dry-run] [options]

Validates FILE (the answers model as JSON or YAML; see engram-design schema), then stores
the task (when the file names none to reuse), the five artifacts and the five links. Prints
each id. A second run of the same file continues an interrupted commit and creates nothing twice.

  --dry-run     print a bash script that performs the same commit with the engram binary:
                the same commands in the same order, each id read from engram's output;
                run it with bash at the repository (ENGRAM=PATH picks the binary)
  --task ID     link to this existing task instead of the file's task`,
	export: `Usage: engram-design export FILE [--out PATH]

Writes one markdown design document from an answers file or a draft: title, the five
sections, the diagram and a table of the artifacts with their titles and tags.

  --out PATH    write it to PATH instead of standard output`,
	show: `Usage: engram-design show TASK_ID [options]

Prints the design linked to TASK_ID (a full id or a unique prefix) as stored in the store in
use: the markdown of each artifact, in step order. Exit 1 when the store does not know the
task or holds no design for it.`,
	list: `Usage: engram-design list [options]

Lists the designs in the store in use, newest first, one line each: system, task id, when it
was stored, CAP choice.`,
	push: `Usage: engram-design push [options]

Copies everything the embedded store holds (--data-dir) into the engram binary's store, once:
tasks, contexts, reasonings, then links rewired to Engram's ids. Each id pair is kept in
push-map.json in the data folder, so a second push creates nothing and an interrupted one
continues where it stopped.`,
	schema: `Usage: engram-design schema

Prints the answers model as JSON Schema (draft 2020-12).`,
};
