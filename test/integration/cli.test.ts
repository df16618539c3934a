import {readFileSync} from 'node:fs';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {execa} from 'execa';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {commandHelp, commands, programHelp} from '../../src/options.js';
import {EXAMPLE, FAKE_ENGRAM, runCli, tempRepo} from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
	version: string;
};
let repo: {dir: string; cleanup: () => Promise<void>};
let broken: string;

beforeAll(async () => {
	repo = await tempRepo();
	// An engram whose every call fails at run time, as a broken store would.
	broken = path.join(repo.dir, 'broken-engram');
	await writeFile(broken, '#!/bin/sh\necho "Error: Git operation failed: broken" >&2\nexit 1\n', {
		mode: 0o755,
	});
	const applied = await runCli(['apply', EXAMPLE, '--store', 'embedded'], {cwd: repo.dir});
	expect(applied.exitCode).toBe(0);
	// A repository of its own for push, so that the fake counts its calls from 1.
	await mkdir(path.join(repo.dir, 'target'));
	await execa('git', ['init', '-q'], {cwd: path.join(repo.dir, 'target')});
});

afterAll(async () => repo.cleanup());

const run = (args: readonly string[], env: Record<string, string> = {}) =>
	runCli(args, {cwd: repo.dir, env});

describe('help and version', () => {
	test('--help lists every command and every option', async () => {
		const result = await run(['--help']);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toBe(programHelp);
		for (const command of commands) {
			expect(programHelp).toMatch(new RegExp(`engram-design ${command}\\b`));
		}
		for (const option of [
			'--engram PATH',
			'--store KIND',
			'--repo DIR',
			'--data-dir DIR',
			'--agent NAME',
			'--task ID',
			'--no-color',
			'--dry-run',
			'--out PATH',
			'--help',
			'--version',
		]) {
			expect(programHelp).toContain(option);
		}
		expect(programHelp).toContain('Exit codes: 0 done, 1 failure');
	});

	test.each([
		['apply', 'Usage: engram-design apply FILE [--dry-run] [options]', '--dry-run'],
		['export', 'Usage: engram-design export FILE [--out PATH]', '--out PATH'],
		['show', 'Usage: engram-design show TASK_ID [options]', 'in step order'],
		['list', 'Usage: engram-design list [options]', 'newest first'],
		['push', 'Usage: engram-design push [options]', 'push-map.json'],
		['schema', 'Usage: engram-design schema', 'JSON Schema'],
		['resume', 'Usage: engram-design resume [options]', 'Needs a terminal'],
	] as const)('%s --help prints its own help', async (command, usage, mentions) => {
		for (const args of [
			[command, '--help'],
			[command, '-h'],
			['--help', command],
		]) {
			const result = await run(args);
			expect(result.exitCode).toBe(0);
			expect(result.stderr).toBe('');
			expect(result.stdout).toBe(commandHelp[command]);
		}
		expect(commandHelp[command].split('\n')[0]).toBe(usage);
		expect(commandHelp[command]).toContain(mentions);
	});

	test('--help answers even when the arguments are missing or wrong', async () => {
		expect((await run(['apply', '--help'])).exitCode).toBe(0);
		expect((await run(['show', 'a', 'b', '--help'])).exitCode).toBe(0);
	});

	test.each([['--version'], ['-v']])('%s prints the package version', async flag => {
		const result = await run([flag]);
		expect(result.exitCode).toBe(0);
		expect(result.stdout).toBe(`engram-design ${pkg.version}`);
	});
});

// Each command's bad input (2) and failure (1) paths; DESIGN §6.
type Row = [string, string[], Record<string, string>, number, RegExp];
const table: Row[] = [
	['an unknown command', ['frobnicate'], {}, 2, /unknown command "frobnicate"/],
	['an unknown option', ['list', '--bogus'], {}, 2, /unknown option --bogus/],
	['an option without its value', ['list', '--store'], {}, 2, /--store needs a value/],
	[
		'a value that starts with a dash',
		['list', '--agent', '-rf'],
		{},
		2,
		/--agent needs a value; a value that starts with a dash is written --agent=-VALUE/,
	],
	['a bad --store', ['list', '--store', 'mongo'], {}, 2, /--store must be engram or embedded/],
	['an option of another command', ['list', '--dry-run'], {}, 2, /--dry-run applies only/],
	['a bad --agent', ['list', '--agent=-x'], {}, 2, /--agent must be one word/],
	['apply without FILE', ['apply'], {}, 2, /apply: missing argument; usage: engram-design/],
	['apply with two files', ['apply', 'a', 'b'], {}, 2, /unexpected argument "b"/],
	['apply of a missing file', ['apply', 'none.yaml'], {}, 2, /cannot read the answers file/],
	['apply --dry-run of a missing file', ['apply', 'none.yaml', '--dry-run'], {}, 2, /none.yaml/],
	[
		'apply when engram fails',
		['apply', EXAMPLE, '--engram', FAKE_ENGRAM],
		{FAKE_ENGRAM_FAIL_AT: '1'},
		1,
		/injected failure/,
	],
	['export without FILE', ['export'], {}, 2, /missing argument/],
	['export of a missing file', ['export', 'none.yaml'], {}, 2, /none.yaml/],
	[
		'export to a folder that is not there',
		['export', EXAMPLE, '--out', 'no/such/dir/x.md'],
		{},
		1,
		/no\/such\/dir/,
	],
	['show without TASK_ID', ['show'], {}, 2, /missing argument/],
	['show of a malformed id', ['show', '--', '-x'], {}, 2, /is not a task id/],
	['show of an unknown task', ['show', 'deadbeef', '--store', 'embedded'], {}, 1, /not found/],
	['show when engram fails', ['show', 'deadbeef', '--engram', 'BROKEN'], {}, 1, /broken/],
	['list with an argument', ['list', 'all'], {}, 2, /unexpected argument "all"/],
	['list when engram fails', ['list', '--engram', 'BROKEN'], {}, 1, /broken/],
	['push with an argument', ['push', 'now'], {}, 2, /unexpected argument "now"/],
	['push to the embedded store', ['push', '--store', 'embedded'], {}, 2, /does not apply/],
	[
		'push when engram fails',
		['push', '--engram', FAKE_ENGRAM, '--repo', 'target'],
		{FAKE_ENGRAM_FAIL_AT: '1'},
		1,
		/injected failure/,
	],
	['schema with an argument', ['schema', 'x'], {}, 2, /unexpected argument "x"/],
	[
		'the session without a terminal',
		[],
		{},
		2,
		/^engram-design: the interactive session needs a terminal; .*engram-design apply FILE$/,
	],
	[
		'resume without a terminal',
		['resume'],
		{},
		2,
		/^engram-design: resume: the interactive session needs a terminal; .*apply FILE$/,
	],
];

const rows = table.map(([name, args, env, code, message]) => ({name, args, env, code, message}));

test.each(rows)('$name exits $code', async ({args, env, code, message}) => {
	const result = await run(
		args.map(arg => (arg === 'BROKEN' ? broken : arg)),
		env,
	);
	expect(result.exitCode).toBe(code);
	expect(result.stderr).toMatch(message);
	expect(result.stderr).not.toMatch(/\n\s+at /);
});

describe('colour', () => {
	const listed = (flags: readonly string[], env: Record<string, string>) =>
		run(['list', '--store', 'embedded', ...flags], env).then(result => String(result.stdout));

	test('none when output is not a terminal', async () => {
		expect(await listed([], {})).not.toContain('\u001B[');
	});

	test('FORCE_COLOR asks for it; --no-color and NO_COLOR win over it', async () => {
		expect(await listed([], {FORCE_COLOR: '1'})).toContain('\u001B[1mCollaborative');
		expect(await listed(['--no-color'], {FORCE_COLOR: '1'})).not.toContain('\u001B[');
		expect(await listed([], {FORCE_COLOR: '1', NO_COLOR: '1'})).not.toContain('\u001B[');
	});
});
