import {execFileSync} from 'node:child_process';
import {existsSync, readFileSync} from 'node:fs';
import {mkdir, mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {CLI, FAKE_ENGRAM, tempRepo} from '../helpers/cli.js';
import {expectDesignStoredOnce} from '../helpers/fake-store.js';
import {TmuxSession} from '../helpers/tmux.js';
import {rawExample} from '../unit/example.js';

// The session in a real terminal (tmux), ended every way a session can end: the draft keeps
// what was typed, and a commit cut short continues on resume.

let dir: string;
let cleanup: () => Promise<void>;
const sessions: TmuxSession[] = [];

beforeEach(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'engram-design-drafts-'));
	cleanup = () => rm(dir, {recursive: true, force: true});
});

afterEach(async () => {
	for (const session of sessions.splice(0)) session.kill();
	await cleanup();
});

const draftFile = () => path.join(dir, '.engram-design', 'draft.json');

type DraftFile = {
	screen: string;
	step: number;
	focus: Record<string, number>;
	draft: Record<string, unknown>;
};

function readDraft(): DraftFile {
	return JSON.parse(readFileSync(draftFile(), 'utf8')) as DraftFile;
}

async function writeDraft(content: unknown): Promise<void> {
	await mkdir(path.dirname(draftFile()), {recursive: true});
	await writeFile(draftFile(), typeof content === 'string' ? content : JSON.stringify(content));
}

/** Starts the CLI with these arguments in a fresh tmux server. */
function open(args: string, options: {width?: number; env?: Record<string, string>} = {}) {
	const {width = 100, env = {}} = options;
	const session = new TmuxSession();
	sessions.push(session);
	session.start(`node ${CLI} ${args}`, {cwd: dir, width, height: 30, env});
	return session;
}

/** The process id of the program in the pane: the one child of the pane's shell. */
function appPid(session: TmuxSession): number {
	const shell = session.panePid();
	const children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim();
	const [pid, ...others] = children.split(/\s+/).map(Number);
	expect(others).toEqual([]);
	return pid!;
}

function isRunning(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return false;
	}
}

async function waitForExit(pid: number): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (isRunning(pid)) {
		expect(Date.now()).toBeLessThan(deadline);
		await delay(20);
	}
}

/** A draft left on the first step, with the cursor in the first requirement's description. */
const onDescription = {
	version: 1,
	savedAt: '2026-01-01T00:00:00.000Z',
	screen: 'step',
	step: 0,
	focus: {start: 1, 'step:0': 1},
	taskMode: 'new',
	draft: {
		system: 'Chat Service',
		slug: 'chat-svc',
		requirements: {functional: [{name: 'Send messages', description: 'Users send'}]},
	},
};

/** The first description focused, showing this text. */
const focusedDescription = (text: string) =>
	new RegExp(`›\\s+Description${text ? `\\s+${text}` : ''}\\s*$`, 'm');

test('kill -9 keeps what was typed a second before; resume reopens at the same field', async () => {
	const session = open('--store embedded');
	await session.waitFor('Start: name the system and its task');
	const pid = appPid(session);
	// Each key waits for the screen, so that it arrives alone, as typed.
	session.type('Chat Service');
	await session.waitFor(/›System name\s+Chat Service\s*$/m);
	session.keys('Enter');
	await session.waitFor(/›Slug/);
	session.type('chat-svc');
	await session.waitFor(/›Slug\s+chat-svc\s*$/m);
	session.keys('C-n');
	await session.waitFor('Step 1 of 5: Requirements');
	session.type('Send messages');
	await session.waitFor(/1\. Requirement\s+Send messages/);
	session.keys('Tab');
	await session.waitFor(focusedDescription(''));
	session.type('Users send text');
	await session.waitFor(focusedDescription('Users send text'));
	await delay(1000);

	process.kill(pid, 'SIGKILL');
	await session.waitFor('[exit 137]');
	const saved = readDraft();
	expect(saved).toMatchObject({screen: 'step', step: 0, focus: {'step:0': 1}});
	expect(saved.draft).toEqual({
		system: 'Chat Service',
		slug: 'chat-svc',
		requirements: {functional: [{name: 'Send messages', description: 'Users send text'}]},
	});

	const resumed = open('resume --store embedded');
	await resumed.waitFor('Step 1 of 5: Requirements');
	await resumed.waitFor(focusedDescription('Users send text'));
	resumed.type('!');
	await resumed.waitFor(focusedDescription('Users send text!'));
});

describe('a signal saves the last keystroke at once', () => {
	test.each([
		['SIGTERM', 143],
		['SIGHUP', 129],
		['SIGINT', 130],
	] as const)('%s right after a key: exit %i, the key is in the draft', async (signal, code) => {
		await writeDraft(onDescription);
		const session = open('resume --store embedded');
		await session.waitFor(focusedDescription('Users send'));
		const pid = appPid(session);
		session.type('Z');
		process.kill(pid, signal);
		await session.waitFor(`[exit ${code}]`);
		expect(readDraft().draft).toMatchObject({
			requirements: {functional: [{description: 'Users sendZ'}]},
		});
	});

	// The terminal goes before the signal is handled: the first write after the hangup fails.
	test('a closed tmux session: the key just shown is in the draft', async () => {
		await writeDraft(onDescription);
		const session = open('resume --store embedded');
		await session.waitFor(focusedDescription('Users send'));
		const pid = appPid(session);
		session.type('Q');
		await session.waitFor(focusedDescription('Users sendQ'));
		execFileSync('tmux', ['-L', session.socket, 'kill-session', '-t', session.name]);
		await waitForExit(pid);
		expect(readDraft().draft).toMatchObject({
			requirements: {functional: [{description: 'Users sendQ'}]},
		});
	});
});

test('a draft of format 0, the bare answers, opens', async () => {
	await writeDraft({
		system: 'Legacy System',
		requirements: {functional: [{name: 'Old need', description: 'Still needed'}]},
	});
	const session = open('resume --store embedded');
	await session.waitFor(/System name\s+Legacy System/);
	session.keys('C-n');
	await session.waitFor('Step 1 of 5: Requirements');
	await session.waitFor(/1\. Requirement\s+Old need/);
});

describe('a draft that cannot be read is refused and left as it is', () => {
	test.each([
		[
			'resume of a draft from a newer version',
			'resume',
			JSON.stringify({version: 99, draft: {system: 'Next'}}),
			'written by a newer engram-design (format 99)',
		],
		['resume of a draft of corrupt JSON', 'resume', '{"version": 1, "draft": {"sys', 'not JSON'],
		['a new session beside a draft of corrupt JSON', '', '{"version": 1, "draft": {', 'not JSON'],
	])('%s', async (_name, command, content, reason) => {
		await writeDraft(content);
		const session = open(`${command} --store embedded`, {width: 250});
		const screen = await session.waitFor('[exit 2]');
		const lines = screen.split('\n').filter(line => line.trim() !== '');
		expect(lines).toHaveLength(2);
		expect(lines[0]).toMatch(
			new RegExp(
				`^engram-design: ${draftFile().replace(/[.]/g, '\\.')}: ` +
					`the draft cannot be read \\(${reason.replace(/[()]/g, '\\$&')}`,
			),
		);
		expect(lines[0]).toMatch(/; it was left untouched$/);
		expect(await readFile(draftFile(), 'utf8')).toBe(content);
	});
});

test('kill -9 during a commit in a session; resume continues it, storing each once', async () => {
	const repo = await tempRepo();
	const removeDir = cleanup;
	cleanup = async () => {
		await repo.cleanup();
		await removeDir();
	};
	dir = repo.dir;
	const answers = rawExample();
	delete answers['task'];
	await writeDraft({...onDescription, screen: 'review', step: 4, focus: {}, draft: answers});

	const first = open(`resume --engram ${FAKE_ENGRAM}`, {env: {FAKE_ENGRAM_DELAY_MS: '150'}});
	await first.waitFor('Review: everything that will be stored');
	const pid = appPid(first);
	first.keys('Enter');
	await first.waitFor(/^✓ Consistency model/m, 20_000);
	process.kill(pid, 'SIGKILL');
	await first.waitFor('[exit 137]');

	const second = open(`resume --engram ${FAKE_ENGRAM}`);
	await second.waitFor('Review: everything that will be stored');
	second.keys('Enter');
	await second.waitFor('engram-design · Summary', 20_000);
	second.keys('q');
	await second.waitFor('[exit 0]');
	await expectDesignStoredOnce(repo.dir);
	expect(existsSync(draftFile())).toBe(false);
	expect(existsSync(`${draftFile()}.committed`)).toBe(true);
});
