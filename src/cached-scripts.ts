import fs from 'node:fs';
import {createRequire} from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/**
 * What the build writes beside a set of CommonJS scripts: the entry, and each script's
 * content hash (the name of its cache). A script left out is compiled without a cache.
 */
export type ScriptManifest = {
	readonly entry: string;
	readonly scripts: Readonly<Record<string, string>>;
};

/** How a script was compiled: from its cache, or from source (and a cache made of it). */
export type CacheUse = 'used' | 'made' | 'rejected' | 'none';

type Loaded = {exports: unknown};

/**
 * The folder code caches are kept in: `$XDG_CACHE_HOME/engram-design/code`, else
 * `~/.cache/engram-design/code`.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv): string {
	const base = env['XDG_CACHE_HOME'] || path.join(os.homedir(), '.cache');
	return path.join(base, 'engram-design', 'code');
}

/**
 * Runs a set of CommonJS scripts (one folder, as the build writes them) the way Node runs
 * modules, but compiles each with V8's code cache: the bytecode of every function a run
 * compiled is written once, when the process ends, and read back by the runs after it, which
 * then skip parsing and compiling what they had already compiled. A cache is named by the
 * script's content hash, the Node version and the processor, and V8 checks it once more
 * (its version, flags, the source's length): one it rejects is compiled from source and made
 * again. A cache that cannot be read or written is done without.
 */
export class ScriptLoader {
	/** How each script that was loaded got compiled, by path inside the folder. */
	readonly uses = new Map<string, CacheUse>();
	private readonly modules = new Map<string, Loaded>();
	private readonly unsaved: {name: string; script: vm.Script}[] = [];
	private readonly manifest: ScriptManifest;
	private readonly nodeRequire: NodeJS.Require;

	private readonly cacheDir: string | undefined;

	/**
	 * `cacheDir` is left alone (no cache read or written) unless it and the folder it is in
	 * belong to this user and no one else may write to them: a cache is code that runs here.
	 */
	constructor(
		private readonly dir: string,
		cacheDir: string | undefined,
	) {
		this.manifest = JSON.parse(
			fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'),
		) as ScriptManifest;
		this.nodeRequire = createRequire(path.join(dir, this.manifest.entry));
		this.cacheDir = cacheDir && isPrivate(cacheDir, true) ? cacheDir : undefined;
	}

	/** The exports of the entry script. */
	entry(): unknown {
		return this.load(this.manifest.entry);
	}

	/**
	 * Writes the caches that were missing or rejected, with the bytecode of every function
	 * compiled so far: called as the process ends. Nothing is thrown.
	 */
	save(): void {
		if (!this.cacheDir || this.unsaved.length === 0) return;
		try {
			fs.mkdirSync(this.cacheDir, {recursive: true, mode: 0o700});
		} catch {
			return;
		}

		if (!isPrivate(this.cacheDir, false)) return;

		for (const {name, script} of this.unsaved.splice(0)) {
			const file = this.cacheFile(name);
			if (!file) continue;
			const temp = `${file}.${process.pid}.tmp`;
			try {
				fs.writeFileSync(temp, script.createCachedData(), {mode: 0o600});
				fs.renameSync(temp, file);
			} catch {
				fs.rmSync(temp, {force: true});
			}
		}
	}

	private load(name: string): unknown {
		const known = this.modules.get(name);
		if (known) return known.exports;
		const file = path.join(this.dir, name);
		// The build writes the scripts in ASCII.
		const source = fs.readFileSync(file, 'latin1');
		const cacheFile = this.cacheFile(name);
		let cachedData: Buffer | undefined;
		if (cacheFile) {
			try {
				cachedData = fs.readFileSync(cacheFile);
			} catch {}
		}

		const script = new vm.Script(
			`(function (exports, require, module, __filename, __dirname) {${source}\n})`,
			{filename: file, ...(cachedData ? {cachedData} : {})},
		);
		// V8 says false only of a cache it was given and took.
		const use: CacheUse = !cacheFile
			? 'none'
			: !cachedData
				? 'made'
				: script.cachedDataRejected === false
					? 'used'
					: 'rejected';
		this.uses.set(name, use);
		if (use === 'made' || use === 'rejected') this.unsaved.push({name, script});
		const module = {exports: {}};
		this.modules.set(name, module);
		const dir = path.dirname(name);
		const require = (id: string): unknown =>
			id.startsWith('./') || id.startsWith('../')
				? this.load(path.join(dir, id))
				: this.nodeRequire(id);
		const run = script.runInThisContext() as (...args: unknown[]) => void;
		run.call(module.exports, module.exports, require, module, file, path.dirname(file));
		return module.exports;
	}

	private cacheFile(name: string): string | undefined {
		const hash = this.manifest.scripts[name];
		if (!this.cacheDir || !hash) return undefined;
		return path.join(this.cacheDir, `${hash}-node${process.version}-${process.arch}.bin`);
	}
}

/**
 * Whether a folder and the one it is in are folders of this user's that others may not write
 * to (a missing one passes when `missingIsPrivate`: it is made so). Where there are no user
 * ids to compare, every folder passes.
 */
function isPrivate(dir: string, missingIsPrivate: boolean): boolean {
	const uid = process.getuid?.();
	if (uid === undefined) return true;
	for (const folder of [dir, path.dirname(dir)]) {
		let stats: fs.Stats;
		try {
			stats = fs.lstatSync(folder);
		} catch {
			if (!missingIsPrivate) return false;
			continue;
		}

		if (!stats.isDirectory() || stats.uid !== uid || (stats.mode & 0o022) !== 0) return false;
	}

	return true;
}
