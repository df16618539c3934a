import {chmod, mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {CLI, tempRepo} from '../helpers/cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {rawExample} from '../unit/example.js';

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

/** A saved draft of the example, open at a step, so a session resumes there. */
async function draftAt(step: number, change: (draft: Record<string, any>) => void = () => {}) {
	const draft = rawExample() as Record<string, any>;
	change(draft);
	const dir = path.join(repo.dir, '.engram-design');
	await mkdir(dir, {recursive: true});
	await writeFile(
		path.join(dir, 'draft.json'),
		JSON.stringify({
			version: 1,
			savedAt: '',
			screen: 'step',
			step,
			focus: {},
			taskMode: 'existing',
			draft,
		}),
	);
}

async function savedDraft(): Promise<Record<string, any>> {
	return JSON.parse(await readFile(path.join(repo.dir, '.engram-design', 'draft.json'), 'utf8'))
		.draft;
}

/** Waits until the saved draft satisfies `check` (drafts are saved a moment after typing). */
async function waitForDraft(
	check: (draft: Record<string, any>) => boolean,
): Promise<Record<string, any>> {
	for (let tries = 0; tries < 60; tries++) {
		const draft = await savedDraft().catch(() => undefined);
		if (draft && check(draft)) return draft;
		await delay(100);
	}

	return savedDraft();
}

test('^G edits a multi-line answer in $EDITOR and reads it back, the screen restored', async () => {
	await draftAt(1);
	const editor = path.join(repo.dir, 'fake-editor.sh');
	// The "editor" appends two lines to the file it is given, as a person would.
	await writeFile(
		editor,
		'#!/bin/sh\nprintf "Second line from the editor\\nThird line\\n" >> "$1"\n',
	);
	await chmod(editor, 0o755);
	tmux.start(`node ${CLI} resume`, {cwd: repo.dir, env: {EDITOR: editor, VISUAL: ''}});
	await tmux.waitFor('Step 2 of 5: CAP analysis');
	// The first field, network partitions, is multi-line.
	tmux.keys('C-g');
	const draft = await waitForDraft(value => String(value.cap.partitions).includes('Third line'));
	expect(draft.cap.partitions).toBe(
		'Yes - distributed system with users globally, partitions will occur.\nSecond line from the editor\nThird line',
	);
	const screen = await tmux.waitFor('Step 2 of 5: CAP analysis');
	expect(screen).toContain('^G $EDITOR');
	expect(screen).not.toContain('fake-editor');
	tmux.keys('C-c');
	await tmux.waitFor('[exit 0]');
}, 30_000);

test('a paste keeps its lines in a multi-line field and becomes one line in a one-line field', async () => {
	await draftAt(1, draft => {
		draft.cap.partitions = '';
	});
	tmux.start(`node ${CLI} resume`, {cwd: repo.dir});
	await tmux.waitFor('Step 2 of 5: CAP analysis');
	// A bracketed paste, as tmux sends it when the program asked for one.
	tmux.keys(['-l', '\u001B[200~Line one\nLine two\nLine three\u001B[201~']);
	let draft = await waitForDraft(value => String(value.cap.partitions).includes('three'));
	expect(draft.cap.partitions).toBe('Line one\nLine two\nLine three');

	// Down to the rationale's neighbour, the first behaviour row: a one-line field.
	tmux.keys(['Tab', 'Tab', 'Tab']);
	await tmux.waitFor(/›1\.\s+Users continue editing/);
	tmux.keys(['C-u']);
	tmux.keys(['-l', '\u001B[200~pasted\nover\nlines\u001B[201~']);
	draft = await waitForDraft(value => value.cap.behavior[0] === 'pasted over lines');
	expect(draft.cap.behavior[0]).toBe('pasted over lines');
	tmux.keys('C-c');
}, 30_000);

test('a resize from 120x40 to 80x24 redraws cleanly', async () => {
	await draftAt(3);
	tmux.start(`node ${CLI} resume`, {cwd: repo.dir, width: 120, height: 40});
	await tmux.waitFor('Step 4 of 5: Architecture');
	tmux.keys('C-o');
	let screen = await tmux.waitFor('lines 1–');
	// Wide: the fields and the preview side by side.
	expect(screen).toMatch(/Components\s+# Architecture Diagram/);
	expect(screen).toMatch(/1\. Name\s+Browser \(Client\)/);
	tmux.resize(80, 24);
	// The redraw after a resize takes a moment: wait for a whole frame at the new size.
	const settled = (text: string) =>
		text.split('\n').every(line => line.length <= 80) &&
		(text.match(/engram-design · Step 4 of 5/g) ?? []).length === 1 &&
		/lines 1–\d+ of/.test(text) &&
		!text.includes('1. Name');
	for (let tries = 0; tries < 100 && !settled(tmux.screen()); tries++) await delay(50);
	screen = tmux.screen();
	const lines = screen.split('\n');
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
	// Narrow: the preview alone, drawn once, its heading at the top.
	expect(screen.match(/engram-design · Step 4 of 5/g)).toHaveLength(1);
	expect(screen).not.toContain('1. Name');
	expect(lines[0]).toContain('engram-design · Step 4 of 5: Architecture');
	tmux.keys('C-o');
	screen = await tmux.waitFor('1. Name');
	expect(screen.match(/engram-design · Step 4 of 5/g)).toHaveLength(1);
	tmux.keys('C-c');
}, 30_000);

test('an editor that cannot start is named on the status line, the field unchanged', async () => {
	await draftAt(1);
	tmux.start(`node ${CLI} resume`, {
		cwd: repo.dir,
		env: {EDITOR: '/nonexistent/editor', VISUAL: ''},
	});
	await tmux.waitFor('Step 2 of 5: CAP analysis');
	tmux.keys('C-g');
	const screen = await tmux.waitFor('could not be started');
	expect(screen).toContain(
		'the editor "/nonexistent/editor" could not be started; set VISUAL or EDITOR',
	);
	expect(screen).toContain('Yes - distributed system with users globally');
	tmux.keys('C-c');
	await tmux.waitFor('[exit 0]');
}, 30_000);

test('a second session on the same data folder is refused while the first runs', async () => {
	await draftAt(1);
	tmux.start(`node ${CLI} resume`, {cwd: repo.dir});
	await tmux.waitFor('Step 2 of 5: CAP analysis');
	const second = new TmuxSession();
	try {
		second.start(`node ${CLI}`, {cwd: repo.dir});
		const screen = await second.waitFor('[exit 2]');
		expect(screen).toMatch(/another engram-design session \(process \d+\) is using/);
	} finally {
		second.kill();
	}

	tmux.keys('C-c');
	await tmux.waitFor('[exit 0]');
}, 30_000);
