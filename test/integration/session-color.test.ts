import {execFileSync, spawnSync} from 'node:child_process';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {CLI, tempRepo} from '../helpers/cli.js';
import {TmuxSession} from '../helpers/tmux.js';

const hasTmux = !spawnSync('tmux', ['-V'], {stdio: 'ignore'}).error;
let repo: {dir: string; cleanup: () => Promise<void>};
let tmux: TmuxSession;

beforeEach(async () => {
	repo = await tempRepo();
	tmux = new TmuxSession();
});

afterEach(async () => {
	tmux.kill();
	await repo.cleanup();
});

/** The Start screen of a session in a real terminal, with its styles as escape sequences. */
async function startScreen(env: string, flags = ''): Promise<string> {
	tmux.start(`env -u NO_COLOR -u FORCE_COLOR ${env} node ${CLI} --store embedded ${flags}`, {
		cwd: repo.dir,
	});
	await tmux.waitFor('engram-design');
	return execFileSync('tmux', ['-L', tmux.socket, 'capture-pane', '-e', '-p', '-t', tmux.name], {
		encoding: 'utf8',
	});
}

test.skipIf(!hasTmux)('the session is coloured on a terminal', async () => {
	expect(await startScreen('')).toMatch(/\u001B\[[0-9;]*m/);
});

test.skipIf(!hasTmux)('--no-color keeps every style out of the session', async () => {
	const screen = await startScreen('', '--no-color');
	expect(screen).toContain('engram-design');
	expect(screen).not.toContain('\u001B[');
});

test.skipIf(!hasTmux)('NO_COLOR keeps every style out of the session', async () => {
	const screen = await startScreen('NO_COLOR=1');
	expect(screen).toContain('engram-design');
	expect(screen).not.toContain('\u001B[');
});
