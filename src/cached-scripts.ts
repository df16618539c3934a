import {createHash} from 'node:crypto';
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

/**
 * Where caches are kept, and what else their names carry: `variant` tells apart the runs
 * whose caches V8 would not take from one another (the flags Node was started with).
 */
export type CodeCache = {readonly dir: string; readonly variant: string};

/** How a script was compiled: from its cache, or from source (and a cache made of it). */
export type CacheUse = 'used' | 'made' | 'rejected' | 'none';

type Loaded = {exports: unknown};

const HASH_BYTES = 32;
// A cache's file: the hash of the source it was made from, the hash of the cache, the cache.
const HEADER_BYTES = 2 * HASH_BYTES;
// Caches of other builds or flags, and temp files a killed process left, go after a while.
const STALE_CACHE_MS = 7 * 24 * 3600 * 1000;
const STALE_TEMP_MS = 3600 * 1000;

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

/**
 * The code cache of this process: in `$XDG_CACHE_HOME/engram-design/code`, else
 * `~/.cache/engram-design/code`; none when neither names an absolute folder.
 */
export function codeCache(
	env: NodeJS.ProcessEnv,
	execArgv: readonly string[] = process.execArgv,
	home = os.homedir(),
): CodeCache | undefined {
	const xdg = env['XDG_CACHE_HOME'];
	const base =
		xdg && path.isAbsolute(xdg)
			? xdg
			: home && path.isAbsolute(home)
				? path.join(home, '.cache')
				: undefined;
	if (!base) return undefined;
	const flags = [...execArgv, env['NODE_OPTIONS'] ?? ''].join('\0');
	return {
		dir: path.join(base, 'engram-design', 'code'),
		variant: sha256(flags).toString('hex').slice(0, 8),
	};
}

/**
 * Runs a set of CommonJS scripts (one folder, as the build writes them) the way Node runs
 * modules, but compiles each with V8's code cache: the bytecode of every function a run
 * compiled is written once, when the process ends, and read back by the runs after it, which
 * then skip parsing and compiling what they had already compiled.
 *
 * A cache is named by the script's content hash, the Node version, the processor and the
 * flags Node was started with. It is used only when it was made from the very source now
 * read and its own bytes are whole (V8 itself checks little more than the source's length
 * and would run damaged bytecode); otherwise, or when V8 rejects it, the script is compiled
 * from source and the cache made again. Caches are kept only in folders of this user's that
 * no one else may write to. A cache that cannot be read or written is done without.
 */
export class ScriptLoader {
	/** How each script that was loaded got compiled, by path inside the folder. */
	readonly uses = new Map<string, CacheUse>();
	private readonly modules = new Map<string, Loaded>();
	private readonly unsaved: {name: string; script: vm.Script; sourceHash: Buffer}[] = [];
	private readonly manifest: ScriptManifest;
	private readonly nodeRequire: NodeJS.Require;
	private readonly cache: CodeCache | undefined;

	constructor(
		private readonly dir: string,
		cache: CodeCache | undefined,
	) {
		this.manifest = JSON.parse(
			fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8'),
		) as ScriptManifest;
		this.nodeRequire = createRequire(path.join(dir, this.manifest.entry));
		this.cache = cache && cacheFolders(cache.dir).every(isPrivate) ? cache : undefined;
	}

	/** The exports of the entry script. */
	entry(): unknown {
		return this.load(this.manifest.entry);
	}

	/**
	 * Writes the caches that were missing or rejected, with the bytecode of every function
	 * compiled so far, and clears out stale ones: called as the process ends. Nothing is
	 * thrown.
	 */
	save(): void {
		if (!this.cache || this.unsaved.length === 0) return;
		try {
			if (!makeCacheFolders(this.cache.dir)) return;
			for (const {name, script, sourceHash} of this.unsaved.splice(0)) {
				const file = this.cacheFile(name);
				if (!file) continue;
				const data = script.createCachedData();
				const temp = `${file}.${process.pid}.tmp`;
				try {
					fs.writeFileSync(temp, Buffer.concat([sourceHash, sha256(data), data]), {
						mode: 0o600,
					});
					fs.renameSync(temp, file);
				} catch {
					fs.rmSync(temp, {force: true});
				}
			}

			this.clearStale();
		} catch {}
	}

	private load(name: string): unknown {
		const known = this.modules.get(name);
		if (known) return known.exports;
		const file = path.join(this.dir, name);
		const bytes = fs.readFileSync(file);
		const cacheFile = this.cacheFile(name);
		let use: CacheUse = 'none';
		let sourceHash: Buffer | undefined;
		let cachedData: Buffer | undefined;
		if (cacheFile) {
			sourceHash = sha256(bytes);
			const stored = readCache(cacheFile);
			use = stored ? 'rejected' : 'made';
			const whole =
				stored !== undefined &&
				stored.length > HEADER_BYTES &&
				stored.subarray(0, HASH_BYTES).equals(sourceHash) &&
				stored.subarray(HASH_BYTES, HEADER_BYTES).equals(sha256(stored.subarray(HEADER_BYTES)));
			if (whole) cachedData = stored.subarray(HEADER_BYTES);
		}

		// The build writes the scripts in ASCII.
		const script = new vm.Script(
			`(function (exports, require, module, __filename, __dirname) {${bytes.toString('latin1')}\n})`,
			{filename: file, ...(cachedData ? {cachedData} : {})},
		);
		// V8 says false only of a cache it was given and took.
		if (cachedData) use = script.cachedDataRejected === false ? 'used' : 'rejected';
		this.uses.set(name, use);
		if (sourceHash && use !== 'used') this.unsaved.push({name, script, sourceHash});
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
		if (!this.cache || !hash) return undefined;
		const {dir, variant} = this.cache;
		return path.join(dir, `${hash}-${variant}-node${process.version}-${process.arch}.bin`);
	}

	/** Removes caches no script of this folder is named by, and temp files, once old enough. */
	private clearStale(): void {
		if (!this.cache) return;
		const current = new Set(
			Object.keys(this.manifest.scripts).map(name => path.basename(this.cacheFile(name) ?? '')),
		);
		const now = Date.now();
		for (const entry of fs.readdirSync(this.cache.dir)) {
			const file = path.join(this.cache.dir, entry);
			const age = now - fs.lstatSync(file).mtimeMs;
			const stale = entry.endsWith('.tmp')
				? age > STALE_TEMP_MS
				: entry.endsWith('.bin') && !current.has(entry) && age > STALE_CACHE_MS;
			if (stale) fs.rmSync(file, {force: true});
		}
	}
}

/**
 * A cache file's bytes, if it is a regular file of this user's; never waits (a FIFO put
 * in its place is not read) and never follows a symbolic link.
 */
function readCache(file: string): Buffer | undefined {
	let fd: number;
	try {
		const {O_RDONLY, O_NOFOLLOW, O_NONBLOCK} = fs.constants;
		fd = fs.openSync(file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK);
	} catch {
		return undefined;
	}

	try {
		const stats = fs.fstatSync(fd);
		if (!stats.isFile() || !ownedByMe(stats)) return Buffer.alloc(0);
		return fs.readFileSync(fd);
	} catch {
		return Buffer.alloc(0);
	} finally {
		fs.closeSync(fd);
	}
}

type Folder = {readonly path: string; readonly base: boolean};

/** The cache folder, the engram-design folder it is in, and the base they are made under. */
function cacheFolders(dir: string): Folder[] {
	const parent = path.dirname(dir);
	return [
		{path: path.dirname(parent), base: true},
		{path: parent, base: false},
		{path: dir, base: false},
	];
}

/**
 * Makes the folders that are missing, each of them on its own (a recursive mkdir loops
 * forever under /proc on Node 20), and says whether all are private. The base folder is made
 * only in a folder of this user's: never, say, in the home of the user a `sudo` came from.
 */
function makeCacheFolders(dir: string): boolean {
	for (const folder of cacheFolders(dir)) {
		if (exists(folder.path)) continue;
		if (folder.base && !isMine(path.dirname(folder.path))) return false;
		try {
			fs.mkdirSync(folder.path, {mode: 0o700});
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return false;
		}
	}

	return cacheFolders(dir).every(isPrivate);
}

const uid = process.getuid?.();
const ownedByMe = (stats: fs.Stats) => uid === undefined || stats.uid === uid;
const exists = (file: string) => fs.existsSync(file);

function isMine(folder: string): boolean {
	try {
		return ownedByMe(fs.statSync(folder));
	} catch {
		return false;
	}
}

/**
 * Whether no one else can put a cache in place: the folder is missing (it is made so), or it
 * is a folder of this user's that others may not write to. The base may be a symbolic link
 * (a ~/.cache moved to another disk) or, like /tmp, a sticky folder that everyone writes to.
 */
function isPrivate(folder: Folder): boolean {
	let stats: fs.Stats;
	try {
		stats = folder.base ? fs.statSync(folder.path) : fs.lstatSync(folder.path);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT';
	}

	if (!stats.isDirectory()) return false;
	if (uid === undefined) return true;
	const othersWrite = (stats.mode & 0o022) !== 0;
	if (folder.base) return (stats.uid === uid && !othersWrite) || (stats.mode & 0o1000) !== 0;
	return stats.uid === uid && !othersWrite;
}
