import {existsSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa} from 'execa';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';

const FAKE = fileURLToPath(new URL('../fake-engram/engram', import.meta.url));
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const TASK = '11111111-2222-4333-8444-555555555555';

let dir: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'fake-engram-test-'));
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

type RunOptions = {readonly input?: string | Buffer; readonly env?: Record<string, string>};

async function engram(args: readonly string[], options: RunOptions = {}) {
	const result = await execa(FAKE, args, {
		cwd: dir,
		reject: false,
		stripFinalNewline: false,
		env: options.env ?? {},
		...(options.input === undefined ? {stdin: 'ignore' as const} : {input: options.input}),
	});
	return {stdout: result.stdout, stderr: result.stderr, exitCode: result.exitCode};
}

/** The text clap prints for a usage error. */
function clapError(message: string, usage?: string): string {
	const usagePart = usage === undefined ? '' : `\n\n${usage}`;
	return `error: ${message}${usagePart}\n\nFor more information, try '--help'.\n`;
}

/** What the fake stored for an entity: the entity's own fields. */
async function stored(type: string, id: string): Promise<Record<string, unknown>> {
	const file = path.join(dir, '.git', 'fake-engram', type, `${id}.json`);
	return JSON.parse(await readFile(file, 'utf8')).data;
}

function idOf(stdout: string, pattern: RegExp): string {
	const id = pattern.exec(stdout)?.[1];
	if (!id) throw new Error(`no id in ${stdout}`);
	return id;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('clap usage errors: exit 2, stderr only, nothing stored', () => {
	const usage = {
		contextCreate: 'Usage: engram context create [OPTIONS]',
		reasoningCreate: 'Usage: engram reasoning create [OPTIONS]',
	};
	test.each([
		{
			name: 'unknown flag',
			args: ['context', 'create', '--title=X', '--foo'],
			stderr: clapError(
				"unexpected argument '--foo' found",
				'Usage: engram context create --title <TITLE>',
			),
		},
		{
			name: 'unknown flag close to a real one',
			args: ['context', 'create', '--titel=X'],
			stderr:
				"error: unexpected argument '--titel' found\n\n" +
				"  tip: a similar argument exists: '--title'\n\n" +
				'Usage: engram context create --title <TITLE>\n\n' +
				"For more information, try '--help'.\n",
		},
		{
			name: 'unknown top-level subcommand',
			args: ['xyzzy'],
			stderr: clapError("unrecognized subcommand 'xyzzy'", 'Usage: engram [OPTIONS] <COMMAND>'),
		},
		{
			name: 'misspelt subcommand',
			args: ['context', 'creat', '--title=X'],
			stderr:
				"error: unrecognized subcommand 'creat'\n\n" +
				"  tip: a similar subcommand exists: 'create'\n\n" +
				'Usage: engram context [OPTIONS] <COMMAND>\n\n' +
				"For more information, try '--help'.\n",
		},
		{
			name: '--version below the root',
			args: ['task', '--version'],
			stderr: clapError(
				"unexpected argument '--version' found",
				'Usage: engram task [OPTIONS] <COMMAND>',
			),
		},
		{
			name: 'missing value at the end',
			args: ['context', 'create', '--title'],
			stderr: clapError("a value is required for '--title <TITLE>' but none was supplied"),
		},
		{
			name: 'missing value before another flag',
			args: ['context', 'create', '--content', '--title=X'],
			stderr: clapError("a value is required for '--content <CONTENT>' but none was supplied"),
		},
		{
			name: 'markdown list item as a separate value',
			args: ['context', 'create', '--title=X', '--content', '- item'],
			stderr: clapError("unexpected argument '- ' found", usage.contextCreate),
		},
		{
			name: 'negative number as a separate value',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--confidence', '-0.5'],
			stderr: clapError("unexpected argument '-0' found", usage.reasoningCreate),
		},
		{
			name: 'value that looks like a long flag',
			args: ['context', 'create', '--title=X', '--content', '--sure'],
			stderr:
				"error: unexpected argument '--sure' found\n\n" +
				"  tip: a similar argument exists: '--source'\n\n" +
				'Usage: engram context create --title <TITLE> --source <SOURCE>\n\n' +
				"For more information, try '--help'.\n",
		},
		{
			name: 'value that is a short flag of the command',
			args: ['context', 'create', '--content', '-t'],
			stderr: clapError("a value is required for '--content <CONTENT>' but none was supplied"),
		},
		{
			name: '--title then --json',
			args: ['context', 'create', '--title', 'X', '--json'],
			stderr: clapError(
				"the argument '--title <TITLE>' cannot be used with '--json'",
				'Usage: engram context create --title <TITLE>',
			),
		},
		{
			name: '--json then --title',
			args: ['context', 'create', '--json', '--title', 'X'],
			stderr: clapError(
				"the argument '--json' cannot be used with '--title <TITLE>'",
				'Usage: engram context create --json',
			),
		},
		{
			name: '--json with two conflicting flags',
			args: ['context', 'create', '--json', '--title=X', '--content=Y'],
			stderr: clapError(
				"the argument '--json' cannot be used with:\n" + '  --title <TITLE>\n  --content <CONTENT>',
				'Usage: engram context create --json',
			),
		},
		{
			name: 'reasoning --title with --json',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--json'],
			stderr: clapError(
				"the argument '--title <TITLE>' cannot be used with '--json'",
				'Usage: engram reasoning create --title <TITLE> --task-id <TASK_ID>',
			),
		},
		{
			name: '--content then --content-file',
			args: ['context', 'create', '--title=X', '--content=a', '--content-file=f.md'],
			stderr: clapError(
				"the argument '--content <CONTENT>' cannot be used with '--content-file <CONTENT_FILE>'",
				'Usage: engram context create --title <TITLE> --content <CONTENT>',
			),
		},
		{
			name: '--content-file then --content',
			args: ['context', 'create', '--content-file=f.md', '--content=a'],
			stderr: clapError(
				"the argument '--content-file <CONTENT_FILE>' cannot be used with '--content <CONTENT>'",
				'Usage: engram context create --content-file <CONTENT_FILE>',
			),
		},
		{
			name: '--title-stdin with --title-file',
			args: ['task', 'create', '--title-stdin', '--title-file=t.txt'],
			stderr: clapError(
				"the argument '--title-stdin' cannot be used with '--title-file <TITLE_FILE>'",
				'Usage: engram task create --title-stdin',
			),
		},
		{
			name: 'a flag given twice',
			args: ['context', 'create', '--title=A', '--title', 'B'],
			stderr: clapError(
				"the argument '--title <TITLE>' cannot be used multiple times",
				usage.contextCreate,
			),
		},
		{
			name: 'a switch given twice',
			args: ['relationship', 'list', '--active-only', '--active-only'],
			stderr: clapError(
				"the argument '--active-only' cannot be used multiple times",
				'Usage: engram relationship list [OPTIONS]',
			),
		},
		{
			name: 'reasoning without --task-id',
			args: ['reasoning', 'create', '--title=X'],
			stderr: clapError(
				'the following required arguments were not provided:\n' + '  --task-id <TASK_ID>',
				'Usage: engram reasoning create --title <TITLE> --task-id <TASK_ID>',
			),
		},
		{
			name: 'relationship create with nothing',
			args: ['relationship', 'create'],
			stderr: clapError(
				'the following required arguments were not provided:\n' +
					'  --source-id <SOURCE_ID>\n  --source-type <SOURCE_TYPE>\n' +
					'  --target-id <TARGET_ID>\n  --target-type <TARGET_TYPE>\n' +
					'  --relationship-type <RELATIONSHIP_TYPE>\n  --agent <AGENT>',
				'Usage: engram relationship create --source-id <SOURCE_ID> --source-type <SOURCE_TYPE> ' +
					'--target-id <TARGET_ID> --target-type <TARGET_TYPE> ' +
					'--relationship-type <RELATIONSHIP_TYPE> --agent <AGENT>',
			),
		},
		{
			name: 'relationship create with some flags',
			args: ['relationship', 'create', '--agent=a', '--source-id=s', '--strength=weak'],
			stderr: clapError(
				'the following required arguments were not provided:\n' +
					'  --source-type <SOURCE_TYPE>\n  --target-id <TARGET_ID>\n' +
					'  --target-type <TARGET_TYPE>\n  --relationship-type <RELATIONSHIP_TYPE>',
				'Usage: engram relationship create --source-id <SOURCE_ID> --source-type <SOURCE_TYPE> ' +
					'--target-id <TARGET_ID> --target-type <TARGET_TYPE> ' +
					'--relationship-type <RELATIONSHIP_TYPE> --agent <AGENT> --strength <STRENGTH>',
			),
		},
		{
			name: 'task show without an id',
			args: ['task', 'show'],
			stderr: clapError(
				'the following required arguments were not provided:\n  <ID>',
				'Usage: engram task show <ID>',
			),
		},
		{
			name: 'confidence that does not parse',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--confidence=abc'],
			stderr: clapError(
				"invalid value 'abc' for '--confidence <CONFIDENCE>': invalid float literal",
			),
		},
		{
			name: 'empty confidence',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--confidence='],
			stderr: clapError(
				"invalid value '' for '--confidence <CONFIDENCE>': cannot parse float from empty string",
			),
		},
		{
			name: 'a limit with a sign',
			args: ['task', 'list', '--limit=-1'],
			stderr: clapError("invalid value '-1' for '--limit <LIMIT>': invalid digit found in string"),
		},
		{
			name: '--json changes nothing for clap errors',
			args: ['relationship', 'create', '--json', '--bogus'],
			stderr: clapError(
				"unexpected argument '--bogus' found",
				'Usage: engram relationship create --source-id <SOURCE_ID> --source-type <SOURCE_TYPE> ' +
					'--target-id <TARGET_ID> --target-type <TARGET_TYPE> ' +
					'--relationship-type <RELATIONSHIP_TYPE> --agent <AGENT> --json',
			),
		},
	])('$name', async ({args, stderr}) => {
		const result = await engram(args);
		expect(result).toEqual({stdout: '', stderr, exitCode: 2});
		expect(existsSync(path.join(dir, '.git'))).toBe(false);
	});

	test('a bare engram prints help on stderr', async () => {
		const result = await engram([]);
		expect(result.exitCode).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toContain('Usage: engram [OPTIONS] <COMMAND>');
	});

	test('--help prints help on stdout', async () => {
		const result = await engram(['context', 'create', '--help']);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toContain('Usage: engram context create [OPTIONS]');
	});
});

describe('--version', () => {
	test.each([['--version'], ['-V']])('%s prints the version and opens no store', async flag => {
		expect(await engram([flag])).toEqual({stdout: 'engram 0.6.3\n', stderr: '', exitCode: 0});
		expect(existsSync(path.join(dir, '.git'))).toBe(false);
	});
});

describe('run-time errors: exit 1', () => {
	const link = (extra: readonly string[]) => [
		'relationship',
		'create',
		`--source-id=${TASK}`,
		'--source-type=task',
		'--target-type=context',
		'--relationship-type=references',
		'--agent=architect',
		...extra,
	];
	test.each([
		{
			name: 'confidence above 1',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--confidence=1.5'],
			message: 'Entity validation error: Confidence must be between 0.0 and 1.0',
		},
		{
			name: 'negative confidence in the = form',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--confidence=-0.1'],
			message: 'Entity validation error: Confidence must be between 0.0 and 1.0',
		},
		{
			name: 'NaN confidence',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '-cNaN'],
			message: 'Entity validation error: Confidence must be between 0.0 and 1.0',
		},
		{
			name: 'infinite confidence',
			args: ['reasoning', 'create', '--title=X', '--task-id=T', '--confidence=inf'],
			message: 'Entity validation error: Confidence must be between 0.0 and 1.0',
		},
		{
			name: 'relevance in capitals',
			args: ['context', 'create', '--title=X', '--relevance=High'],
			message: 'Entity validation error: Invalid relevance level. Use: low, medium, high, critical',
		},
		{
			name: 'context without a title',
			args: ['context', 'create', '--content=x'],
			message:
				'Entity validation error: Title required: use --title, --title-stdin, or ' + '--title-file',
		},
		{
			name: 'task without a title',
			args: ['task', 'create'],
			message:
				'Entity validation error: Title is required (use --title, --title-stdin, or ' +
				'--title-file)',
		},
		{
			name: 'self-relationship',
			args: link([`--target-id=${TASK}`]),
			message:
				'Entity validation error: Entity validation error: Self-relationships are not allowed',
		},
		{
			name: 'empty target id',
			args: link(['--target-id=']),
			message: 'Entity validation error: Entity validation error: Target ID cannot be empty',
		},
		{
			name: 'bad direction',
			args: link(['--target-id=x', '--direction=sideways']),
			message:
				'Entity validation error: Invalid direction: sideways. Use: unidirectional, ' +
				'bidirectional, or inverse',
		},
		{
			name: 'strength out of range',
			args: link(['--target-id=x', '--strength=1.5']),
			message: 'Entity validation error: Custom strength must be between 0.0 and 1.0',
		},
		{
			name: 'strength that is not a number',
			args: link(['--target-id=x', '--strength=mighty']),
			message:
				'Entity validation error: Invalid strength: mighty. Use: weak, medium, strong, ' +
				'critical, or a number between 0.0 and 1.0',
		},
		{
			name: 'short hex id that matches nothing',
			args: link(['--target-id=abcd']),
			message: "Entity validation error: Entity 'abcd' of type 'context' not found",
		},
		{
			name: 'missing content file',
			args: ['context', 'create', '--title=X', '--content-file=missing.md'],
			message: 'IO error: No such file or directory (os error 2)',
		},
		{
			name: 'task that does not exist',
			args: ['task', 'show', 'nope'],
			message: "Not found: Task 'nope' not found",
		},
	])('$name', async ({args, message}) => {
		const result = await engram(args);
		expect(result).toEqual({stdout: '', stderr: `Error: ${message}\n`, exitCode: 1});
		// The store is opened before the command checks anything, as engram does.
		expect(existsSync(path.join(dir, '.git'))).toBe(true);
	});

	test('invalid UTF-8 in a content file', async () => {
		await writeFile(path.join(dir, 'bad.md'), Buffer.from([0x61, 0xff, 0xfe]));
		const result = await engram(['context', 'create', '--title=X', '--content-file=bad.md']);
		expect(result).toEqual({
			stdout: '',
			stderr: 'Error: IO error: stream did not contain valid UTF-8\n',
			exitCode: 1,
		});
	});

	test('invalid UTF-8 on stdin', async () => {
		const result = await engram(['context', 'create', '--title-stdin'], {
			input: Buffer.from([0xc3, 0x28]),
		});
		expect(result.stderr).toBe('Error: IO error: stream did not contain valid UTF-8\n');
		expect(result.exitCode).toBe(1);
	});

	test('JSON error mode: any argv element exactly --json sends the error to stdout', async () => {
		const notFound = await engram(['task', 'show', 'nope', '--json']);
		expect(notFound).toEqual({
			stdout: '{"error":"Not found: Task \'nope\' not found"}\n',
			stderr: '',
			exitCode: 1,
		});
		const self = await engram(link([`--target-id=${TASK}`, '--json']));
		expect(self).toEqual({
			stdout:
				'{"error":"Entity validation error: Entity validation error: ' +
				'Self-relationships are not allowed"}\n',
			stderr: '',
			exitCode: 1,
		});
		const notExactly = await engram(['task', 'show', 'nope', '--title=--json']);
		expect(notExactly.exitCode).toBe(2);
	});
});

describe('successful creates print exactly what engram prints', () => {
	test('context create', async () => {
		const result = await engram([
			'context',
			'create',
			'--title=System Requirements: Editor',
			'--content=- item',
			'--source=system-design',
			'--agent=architect',
			'--tags=system-design,requirements',
		]);
		expect(result.stderr).toBe('');
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(
			new RegExp(
				`^Context '(${UUID})' created successfully\\n` +
					'ID: \\1\\nTitle: System Requirements: Editor\\nAgent: architect\\nRelevance: Medium\\n$',
			),
		);
		const id = idOf(result.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect(await stored('context', id)).toMatchObject({
			id,
			title: 'System Requirements: Editor',
			content: '- item',
			source: 'system-design',
			relevance: 'medium',
			agent: 'architect',
			tags: [],
		});
	});

	test('context create --relevance=high prints High', async () => {
		const result = await engram(['context', 'create', '-tX', '--relevance=high']);
		expect(result.stdout).toMatch(/\nRelevance: High\n$/);
	});

	test('reasoning create', async () => {
		const result = await engram([
			'reasoning',
			'create',
			'--title=CAP Analysis: Editor',
			`--task-id=${TASK}`,
			'--confidence=0.85',
			'--content=## CP\n\n- consistency first',
			'--agent=architect',
		]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(
			new RegExp(
				`^Reasoning '(${UUID})' created successfully\\n` +
					`ID: \\1\\nTitle: CAP Analysis: Editor\\nTask ID: ${TASK}\\nAgent: architect\\n$`,
			),
		);
		const id = idOf(result.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect(await stored('reasoning', id)).toMatchObject({
			task_id: TASK,
			confidence: 0.85,
			conclusion: '## CP\n\n- consistency first',
		});
	});

	test.each([
		['1', 1],
		['1.', 1],
		['.5', 0.5],
		['1e-3', 0.001],
		['+0.25', 0.25],
	])('confidence %s parses as Rust parses it', async (raw, value) => {
		const result = await engram(['reasoning', 'create', '-t', 'X', '--task-id=T', `-c${raw}`]);
		expect(result.exitCode).toBe(0);
		const id = idOf(result.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect((await stored('reasoning', id))['confidence']).toBe(value);
	});

	test('reasoning create --json reads the object from stdin and ignores other flags', async () => {
		const result = await engram(['reasoning', 'create', '--json', '--confidence=0.9'], {
			input: JSON.stringify({title: 'From JSON', task_id: TASK, agent: 'bot'}),
		});
		expect(result.stdout).toMatch(
			new RegExp(`^Reasoning '(${UUID})' created successfully\\nID: \\1\\nAgent: bot\\n$`),
		);
		const id = idOf(result.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect(await stored('reasoning', id)).toMatchObject({confidence: 0, conclusion: ''});
	});

	test('relationship create', async () => {
		const result = await engram([
			'relationship',
			'create',
			`--source-id=${TASK}`,
			'--source-type=task',
			'--target-id=[TASK_ID]',
			'--target-type=reasoning',
			'--relationship-type=Documents',
			'--agent=architect',
		]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toMatch(
			new RegExp(
				'^✅ Relationship created successfully\\n' +
					`📋 ID: (${UUID})\\n🔗 ${TASK} --\\[documents\\]--> \\[TASK_ID\\]\\n$`,
			),
		);
		const id = idOf(result.stdout, new RegExp(`^📋 ID: (${UUID})$`, 'm'));
		expect(await stored('relationship', id)).toMatchObject({
			source_id: TASK,
			target_id: '[TASK_ID]',
			relationship_type: {Custom: 'documents'},
			direction: 'Unidirectional',
			strength: 'Medium',
			description: null,
			active: true,
		});
	});

	test('relationship create resolves a short hex id to the full one', async () => {
		const context = await engram(['context', 'create', '--title=C']);
		const contextId = idOf(context.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		const result = await engram([
			'relationship',
			'create',
			`--source-id=${TASK}`,
			'--source-type=task',
			`--target-id=${contextId.slice(0, 8)}`,
			'--target-type=context',
			'--relationship-type=references',
			'--agent=a',
		]);
		expect(result.stdout).toContain(`--[references]--> ${contextId}\n`);
	});

	test('task create, text output', async () => {
		const result = await engram([
			'task',
			'create',
			'--title=Design: Editor',
			'--description=- start here',
			'--agent=architect',
			'--priority=urgent',
			'--tags=a, b',
		]);
		expect(result.stdout).toMatch(
			new RegExp(
				`^✅ Task created:\\n  ID: ${UUID}\\n` +
					'  Title: Design: Editor\\n  Description: - start here\\n  Status: Todo\\n' +
					'  Priority: Medium\\n  Agent: architect\\n' +
					'  Created: \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\n  Tags: a, b\\n\\n$',
			),
		);
	});

	test('task create --output json', async () => {
		const result = await engram(['task', 'create', '--title=T', '--output', 'json'], {
			env: {FAKE_ENGRAM_TASK_ID: TASK},
		});
		const task = JSON.parse(result.stdout);
		expect(Object.keys(task)).toEqual([
			'id',
			'title',
			'description',
			'status',
			'priority',
			'agent',
			'start_time',
			'end_time',
		]);
		expect(task).toMatchObject({id: TASK, status: 'todo', priority: 'medium', end_time: null});
		expect(result.stdout.startsWith(`{\n  "id": "${TASK}",\n`)).toBe(true);
	});

	test('--content-file is read verbatim and --content-stdin is trimmed', async () => {
		const content = '\n  indented\n\n- item\n\n';
		await writeFile(path.join(dir, 'c.md'), content);
		const fromFile = await engram(['context', 'create', '--title=F', '--content-file=c.md']);
		const fileId = idOf(fromFile.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect((await stored('context', fileId))['content']).toBe(content);
		const fromStdin = await engram(['context', 'create', '--title=S', '--content-stdin'], {
			input: `\u00a0${content}\u2003`,
		});
		const stdinId = idOf(fromStdin.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect((await stored('context', stdinId))['content']).toBe('indented\n\n- item');
	});

	test('title and content both from stdin: the title takes it all', async () => {
		const result = await engram(['context', 'create', '--title-stdin', '--content-stdin'], {
			input: ' all of it \n',
		});
		const id = idOf(result.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		expect(await stored('context', id)).toMatchObject({title: 'all of it', content: ''});
	});
});

describe('reading back', () => {
	test('task show lists links with titles; connected follows them outward', async () => {
		await engram(['task', 'create', '--title=Design'], {env: {FAKE_ENGRAM_TASK_ID: TASK}});
		const context = await engram(['context', 'create', '--title=Reqs', '--content=body']);
		const contextId = idOf(context.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		await engram([
			'relationship',
			'create',
			`--source-id=${TASK}`,
			'--source-type=task',
			`--target-id=${contextId}`,
			'--target-type=context',
			'--relationship-type=references',
			'--agent=a',
		]);
		const show = await engram(['task', 'show', TASK.slice(0, 8)]);
		expect(show.stdout).toContain(`  ID: ${TASK}\n  Title: Design\n`);
		expect(show.stdout).not.toContain('Related Entities');
		const full = await engram(['task', 'show', TASK]);
		expect(full.stdout).toContain(
			'🔗 Related Entities:\n====================\n' +
				`  → [references] ${contextId} (context)— Reqs\n\n`,
		);
		const connected = await engram(['relationship', 'connected', `--entity-id=${TASK}`]);
		expect(connected.stdout).toBe(
			`🕸️ Finding entities connected to ${TASK} using BreadthFirst\n` +
				`✅ Found 2 connected entities:\n🔗 ${TASK}\n🔗 ${contextId}\n`,
		);
		const backwards = await engram(['relationship', 'connected', `--entity-id=${contextId}`]);
		expect(backwards.stdout).toContain('✅ Found 1 connected entities:\n');
	});

	test('context show prints the content verbatim under Content:', async () => {
		const content = '# Title\n\n- a\n- b\n';
		await writeFile(path.join(dir, 'c.md'), content);
		const created = await engram(['context', 'create', '--title=C', '--content-file=c.md']);
		const id = idOf(created.stdout, new RegExp(`^ID: (${UUID})$`, 'm'));
		const show = await engram(['context', 'show', id]);
		expect(show.stdout).toMatch(new RegExp(`^Context Details:\\n=+\\nID: ${id}\\nTitle: C\\n`));
		expect(show.stdout.endsWith(`\nContent:\n--------\n${content}\n`)).toBe(true);
	});

	test('task list shows only the agent asked for, with 8-character ids', async () => {
		await engram(['task', 'create', '--title=Mine', '--agent=architect'], {
			env: {FAKE_ENGRAM_TASK_ID: TASK},
		});
		expect((await engram(['task', 'list'])).stdout).toBe('No tasks found\n');
		const list = await engram(['task', 'list', '--agent=architect']);
		expect(list.stdout).toMatch(/^📋 Tasks \(1 total, showing 1\):\n╭─+╮\n/);
		expect(list.stdout).toMatch(
			new RegExp(`│ ${escape(TASK.slice(0, 8))} │ 📝 Todo │ Medium +│ Mine +│ architect │`),
		);
	});
});

describe('state and call log', () => {
	test('creates ./.git when missing and logs only accepted calls', async () => {
		const log = path.join(dir, 'calls.jsonl');
		const env = {FAKE_ENGRAM_LOG: log};
		await engram(['context', 'create', '--bogus'], {env});
		await engram(['context', 'create', '--title=A', '--content-stdin'], {env, input: 'body'});
		await engram(['context', 'create', '--relevance=High', '--title=B'], {env});
		const lines = (await readFile(log, 'utf8'))
			.trim()
			.split('\n')
			.map(line => JSON.parse(line));
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatchObject({
			argv: ['context', 'create', '--title=A', '--content-stdin'],
			cwd: dir,
			call: 1,
			stdinBase64: Buffer.from('body').toString('base64'),
			outcome: 'ok',
			exitCode: 0,
		});
		expect(lines[0].id).toMatch(new RegExp(`^${UUID}$`));
		expect(lines[1]).toMatchObject({call: 2, id: null, outcome: 'error', exitCode: 1});
	});

	test('FAKE_ENGRAM_FAIL_AT fails that call and stores nothing', async () => {
		const env = {FAKE_ENGRAM_FAIL_AT: '2'};
		expect((await engram(['context', 'create', '--title=1'], {env})).exitCode).toBe(0);
		const second = await engram(['context', 'create', '--title=2'], {env});
		expect(second).toEqual({
			stdout: '',
			stderr: 'Error: Git operation failed: injected failure\n',
			exitCode: 1,
		});
		expect((await engram(['context', 'list'])).stdout).toContain('Found 1 context(s)');
	});
});
