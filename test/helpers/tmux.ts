import {execFileSync, spawnSync} from 'node:child_process';
import {randomBytes} from 'node:crypto';
import {setTimeout as delay} from 'node:timers/promises';

/** A terminal program in its own tmux server, read and typed into like a person would. */
export class TmuxSession {
	readonly socket = `engram-design-test-${process.pid}-${randomBytes(4).toString('hex')}`;
	readonly name = 'test';

	private tmux(args: readonly string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	/** Starts `command` in a detached window of the given size. */
	start(
		command: string,
		{
			cwd,
			width = 80,
			height = 24,
			env = {},
		}: {cwd: string; width?: number; height?: number; env?: Record<string, string>},
	): void {
		const exports = Object.entries(env).map(([key, value]) => `${key}=${shellQuote(value)}`);
		this.tmux([
			'-f',
			'/dev/null',
			'new-session',
			'-d',
			'-s',
			this.name,
			'-x',
			String(width),
			'-y',
			String(height),
			'-c',
			cwd,
			// A person's terminal, not a CI log: Ink draws no live frames when CI is set.
			`env -u CI -u CONTINUOUS_INTEGRATION ${exports.join(' ')} ${command}; echo "[exit $?]"; sleep 600`,
		]);
		this.tmux(['set-option', '-t', this.name, 'status', 'off']);
	}

	/** Sends tmux key names (`Enter`, `C-n`, `Tab`) or, with literal, text. */
	keys(keys: readonly string[] | string, literal = false): void {
		const list = typeof keys === 'string' ? [keys] : keys;
		this.tmux(['send-keys', '-t', this.name, ...(literal ? ['-l'] : []), ...list]);
	}

	/** Types text as the user would, in one chunk. */
	type(text: string): void {
		this.keys(text, true);
	}

	/** What the pane shows now. */
	screen(): string {
		return this.tmux(['capture-pane', '-p', '-t', this.name]);
	}

	resize(width: number, height: number): void {
		this.tmux(['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
	}

	/** The process id of the program in the pane's shell. */
	panePid(): number {
		return Number(this.tmux(['display-message', '-p', '-t', this.name, '#{pane_pid}']).trim());
	}

	/** Waits until the screen matches, or fails with what it shows. */
	async waitFor(pattern: RegExp | string, timeoutMs = 10_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let last = '';
		while (Date.now() < deadline) {
			last = this.screen();
			if (typeof pattern === 'string' ? last.includes(pattern) : pattern.test(last)) return last;
			await delay(50);
		}

		throw new Error(`the screen never showed ${String(pattern)}; it shows:\n${last}`);
	}

	kill(): void {
		spawnSync('tmux', ['-L', this.socket, 'kill-server'], {stdio: 'ignore'});
	}
}

function shellQuote(value: string): string {
	return `'${value.replace(/'/g, `'\\''`)}'`;
}
