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
	| {readonly kind: 'engram'; readonly bin: string; readonly repo: string}
	| {readonly kind: 'embedded'; readonly dir: string};

/** The engram binary when one is found, else the embedded store; a usage error when neither may be used. */
export async function chooseStore(options: Options, env: NodeJS.ProcessEnv, cwd: string): Promise<StoreChoice> {
	const wantEmbedded = options.store === 'embedded';
	if (!wantEmbedded) {
		const {findEngram, repoRoot} = await import('./engram.js');
		const bin = findEngram({engram: options.engram, env});
		if (bin) {
			const repo = options.repo ? path.resolve(cwd, options.repo) : (repoRoot(cwd) ?? cwd);
			return {kind: 'engram', bin, repo};
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
		return new EngramStore({bin: choice.bin, repo: choice.repo});
	}

	const {EmbeddedStore} = await import('./embedded.js');
	return new EmbeddedStore({dir: choice.dir});
}

/** The store a command writes to: the engram binary when one is found, else the embedded store. */
export async function openStore(options: Options, env: NodeJS.ProcessEnv, cwd: string): Promise<Store> {
	return openChosenStore(await chooseStore(options, env, cwd));
}
