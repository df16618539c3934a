import {mkdtemp, readFile, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {execa, type Options} from 'execa';

/** The built command line, as users run it. */
export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
/** The fake engram executable written from the CLI contract. */
export const FAKE_ENGRAM = fileURLToPath(new URL('../fake-engram/engram', import.meta.url));
/** The seed's worked example as an answers file. */
export const EXAMPLE = fileURLToPath(new URL('../../examples/collab-editor.yaml', import.meta.url));

/** Runs the built CLI without throwing; the result carries exit code and output. */
export function runCli(args: readonly string[], options: Options = {}) {
	return execa('node', [CLI, ...args], {reject: false, stdin: 'ignore', ...options});
}

/** A temporary git repository, removed by the returned cleanup. */
export async function tempRepo(): Promise<{dir: string; cleanup: () => Promise<void>}> {
	const dir = await mkdtemp(path.join(os.tmpdir(), 'engram-design-test-'));
	await execa('git', ['init', '-q'], {cwd: dir});
	// A session ended a moment ago may still be saving its draft: removal retries a little.
	return {
		dir,
		cleanup: () => rm(dir, {recursive: true, force: true, maxRetries: 10, retryDelay: 100}),
	};
}

export type FakeCall = {
	readonly argv: string[];
	readonly id: string | null;
	readonly outcome: string;
	readonly cwd: string;
};

/** The calls the fake engram accepted, from its log. */
export async function fakeCalls(log: string): Promise<FakeCall[]> {
	let text: string;
	try {
		text = await readFile(log, 'utf8');
	} catch {
		return [];
	}

	return text
		.trim()
		.split('\n')
		.filter(Boolean)
		.map(line => JSON.parse(line) as FakeCall);
}

/** The value of `--name=value` in an argv, if present. */
export function flag(argv: readonly string[], name: string): string | undefined {
	const prefix = `--${name}=`;
	return argv.find(arg => arg.startsWith(prefix))?.slice(prefix.length);
}

/** An entity as the fake stored it. */
export async function fakeEntity(
	repo: string,
	type: string,
	id: string,
): Promise<Record<string, unknown>> {
	const raw = await readFile(path.join(repo, '.git', 'fake-engram', type, `${id}.json`), 'utf8');
	return (JSON.parse(raw) as {data: Record<string, unknown>}).data;
}
