import {execFileSync} from 'node:child_process';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {CLI, tempRepo} from '../helpers/cli.js';
import {TmuxSession} from '../helpers/tmux.js';

let repo: {dir: string; cleanup: () => Promise<void>};
let tmux: TmuxSession;
let sessionPid: number | undefined;

beforeEach(async () => {
	repo = await tempRepo();
	tmux = new TmuxSession();
});

afterEach(async () => {
	tmux.kill();
	// The session saves its draft into the repository as it goes (SIGHUP); wait for it to end
	// before the repository is removed.
	for (let tries = 0; sessionPid !== undefined && isRunning(sessionPid) && tries < 200; tries++) {
		await delay(50);
	}
	sessionPid = undefined;
	await repo.cleanup();
});

function isRunning(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

/** The Start screen of a session in a real terminal, with its styles as escape sequences. */
async function startScreen(env: string, flags = ''): Promise<string> {
	tmux.start(`env -u NO_COLOR -u FORCE_COLOR ${env} node ${CLI} --store embedded ${flags}`, {
		cwd: repo.dir,
	});
	await tmux.waitFor('engram-design');
	// The pane's shell runs the session as its one child.
	const child = execFileSync('pgrep', ['-P', String(tmux.panePid())], {encoding: 'utf8'});
	sessionPid = Number(child.trim().split('\n')[0]);
	return execFileSync('tmux', ['-L', tmux.socket, 'capture-pane', '-e', '-p', '-t', tmux.name], {
		encoding: 'utf8',
	});
}

// Escape characters written out, so that a failure shows where they are.
const visible = (screen: string) => screen.replaceAll('\u001B', '<ESC>');

// A select-graphic-rendition sequence that sets a foreground or background colour.
const colourCode = /\u001B\[(?:[0-9]+;)*(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;[0-9]+)*m/;
// The text cursor is drawn in inverse video, which is a style, not a colour.
const inverse = /\u001B\[(?:[0-9]+;)*7(?:;[0-9]+)*m/;

test('the session is coloured on a terminal', async () => {
	expect(await startScreen('')).toMatch(colourCode);
});

test.each([
	['--no-color', '', '--no-color'],
	['NO_COLOR', 'NO_COLOR=1', ''],
])(
	'%s keeps every colour out of the session, the cursor still shown',
	async (_name, env, flags) => {
		const screen = await startScreen(env, flags);
		expect(visible(screen)).toContain('engram-design');
		expect(visible(screen)).not.toMatch(colourCode);
		expect(screen).toMatch(inverse);
	},
);
