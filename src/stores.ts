import path from 'node:path';
import type {Options} from './options.js';
import {UsageError} from './options.js';
import type {Store} from './store.js';

/** Where drafts, journals and the embedded store live. */
export function dataDirOf(options: Options, cwd: string): string {
	return path.resolve(cwd, options.dataDir ?? '.engram-design');
}

/** The store a command writes to: the engram binary when one is found, else the embedded store. */
export async function openStore(
	options: Options,
	env: NodeJS.ProcessEnv,
	cwd: string,
): Promise<Store> {
	const wantEmbedded = options.store === 'embedded';
	if (!wantEmbedded) {
		const {findEngram, repoRoot, EngramStore} = await import('./engram.js');
		const bin = findEngram({engram: options.engram, env});
		if (bin) {
			const repo = options.repo ? path.resolve(cwd, options.repo) : (repoRoot(cwd) ?? cwd);
			return new EngramStore({bin, repo});
		}

		if (options.store === 'engram' || options.engram) {
			throw new UsageError(
				options.engram
					? `--engram ${options.engram}: no executable engram there`
					: 'no engram binary found; pass --engram PATH, set ENGRAM_BIN, or use --store embedded',
			);
		}
	}

	const {EmbeddedStore} = await import('./embedded.js');
	return new EmbeddedStore({dir: dataDirOf(options, cwd)});
}
