import path from 'node:path';
import type {Options} from './options.js';
import {UsageError} from './options.js';
import type {Store} from './store.js';

/** Where drafts, journals and the embedded store live. */
export function dataDirOf(options: Options, cwd: string): string {
	return path.resolve(cwd, options.dataDir ?? '.engram-design');
}

/** Which store a command writes to, decided before either is loaded. */
export type StoreChoice =
	| {
			readonly kind: 'engram';
			readonly bin: string;
			readonly repo: string;
			readonly timeoutMs?: number;
	  }
	| {readonly kind: 'embedded'; readonly dir: string};

/**
 * The engram binary when one is found, else the embedded store; a usage error when neither
 * may be used, or when the repository or timeout given for engram cannot be.
 */
export async function chooseStore(
	options: Options,
	env: NodeJS.ProcessEnv,
	cwd: string,
): Promise<StoreChoice> {
	const wantEmbedded = options.store === 'embedded';
	if (!wantEmbedded) {
		const {findEngram, repoRoot} = await import('./engram.js');
		const bin = findEngram({engram: options.engram, env});
		if (bin) {
			const repo = engramRepo(options, cwd, repoRoot);
			const timeoutMs = timeoutOf(env);
			return {kind: 'engram', bin, repo, ...(timeoutMs === undefined ? {} : {timeoutMs})};
		}

		if (options.store === 'engram' || options.engram) {
			throw new UsageError(
				options.engram
					? `--engram ${options.engram}: no executable engram there`
					: 'no engram binary found; pass --engram PATH, set ENGRAM_BIN, or use --store embedded',
			);
		}
	}

	return {kind: 'embedded', dir: dataDirOf(options, cwd)};
}

/** The chosen store, its module loaded now (the embedded store's brings zod with it). */
export async function openChosenStore(choice: StoreChoice): Promise<Store> {
	if (choice.kind === 'engram') {
		const {EngramStore} = await import('./engram.js');
		const {bin, repo, timeoutMs} = choice;
		return new EngramStore({bin, repo, ...(timeoutMs === undefined ? {} : {timeoutMs})});
	}

	const {EmbeddedStore} = await import('./embedded.js');
	return new EmbeddedStore({dir: choice.dir});
}

/** The store a command writes to: the engram binary when one is found, else the embedded store. */
export async function openStore(
	options: Options,
	env: NodeJS.ProcessEnv,
	cwd: string,
): Promise<Store> {
	return openChosenStore(await chooseStore(options, env, cwd));
}

/**
 * The folder Engram runs in: the repository given or around the current folder. Engram makes
 * a repository wherever it runs without one, so a folder inside another repository is refused
 * rather than given a nested repository by accident.
 */
export function engramRepo(
	options: Options,
	cwd: string,
	findRoot: (dir: string) => string | undefined,
): string {
	if (!options.repo) return findRoot(cwd) ?? cwd;
	const repo = path.resolve(cwd, options.repo);
	const root = findRoot(repo);
	if (root !== undefined && root !== repo) {
		throw new UsageError(
			`--repo ${options.repo} is inside the git repository ${root}; pass ${root}, or a folder that is not inside one`,
		);
	}

	return repo;
}

/** The longest one engram call may take, from ENGRAM_DESIGN_TIMEOUT_MS; undefined when unset. */
export function timeoutOf(env: NodeJS.ProcessEnv): number | undefined {
	const raw = env['ENGRAM_DESIGN_TIMEOUT_MS'];
	if (raw === undefined || raw.trim() === '') return undefined;
	const value = Number(raw);
	if (!Number.isSafeInteger(value) || value <= 0) {
		throw new UsageError(
			`ENGRAM_DESIGN_TIMEOUT_MS must be a whole number of milliseconds above 0, not "${raw}"`,
		);
	}

	return value;
}
