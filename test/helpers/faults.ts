import {readdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {expect} from 'vitest';
import {rawExample} from '../unit/example.js';
import {FAKE_ENGRAM, runCli, tempRepo} from './cli.js';
import {expectDesignStoredOnce} from './fake-store.js';

/** The engram command of each operation of a commit that creates its task, in order. */
export const commands = [
	'task create',
	'context create',
	'reasoning create',
	'reasoning create',
	'context create',
	'reasoning create',
	...Array<string>(5).fill('relationship create'),
] as const;

/** [number from 1, engram command] of each operation. */
export const operations = commands.map((command, index) => [index + 1, command] as const);

/** The one-sentence report of a failed operation, with the hint that the same apply continues. */
export function failureLine(command: string, what: string): RegExp {
	const escaped = what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(
		`^engram-design: engram ${command} ${escaped}; run the same apply again ` +
			'to continue where it stopped$',
	);
}

/** What a run of the CLI printed and how it ended. */
export type Run = {exitCode: number | undefined; stdout: string; stderr: string};

/**
 * The seed's example without a task (so the commit has 11 operations) in a fresh git
 * repository, applied with the fake engram: one per test, so tests may run at once.
 */
export class DesignRepo {
	readonly log: string;
	readonly design: string;

	private constructor(
		readonly dir: string,
		readonly cleanup: () => Promise<void>,
	) {
		this.log = path.join(dir, 'calls.jsonl');
		this.design = path.join(dir, 'design.json');
	}

	static async create(): Promise<DesignRepo> {
		const {dir, cleanup} = await tempRepo();
		const repo = new DesignRepo(dir, cleanup);
		const raw = rawExample();
		delete raw['task'];
		await writeFile(repo.design, JSON.stringify(raw));
		return repo;
	}

	/** The arguments of an apply of the design. */
	args(engram = FAKE_ENGRAM): string[] {
		return ['apply', this.design, '--engram', engram];
	}

	/** Runs the same apply, with the fake engram unless another is given. */
	async apply(env: Record<string, string> = {}, engram = FAKE_ENGRAM): Promise<Run> {
		const result = await runCli(this.args(engram), {cwd: this.dir, env});
		return {
			exitCode: result.exitCode,
			stdout: String(result.stdout),
			stderr: String(result.stderr),
		};
	}

	/** The operations of the one commit journal in the data folder. */
	async journalOps(): Promise<Record<string, {id?: string}>> {
		const dir = path.join(this.dir, '.engram-design', 'journal');
		const [name, ...others] = (await readdir(dir)).filter(file => file.endsWith('.json'));
		expect(others).toEqual([]);
		const journal = JSON.parse(await readFile(path.join(dir, name!), 'utf8')) as {
			ops: Record<string, {id?: string}>;
		};
		return journal.ops;
	}

	/** The fake holds one task, the five artifacts and the five links, each exactly once. */
	expectStoredOnce(): Promise<void> {
		return expectDesignStoredOnce(this.dir);
	}
}

/** Runs a test body with its own repository, removed afterwards. */
export async function withDesign(body: (repo: DesignRepo) => Promise<void>): Promise<void> {
	const repo = await DesignRepo.create();
	try {
		await body(repo);
	} finally {
		await repo.cleanup();
	}
}
