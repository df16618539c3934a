import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeAll, beforeEach, expect, test} from 'vitest';
import type {Answers} from '../../src/answers.js';
import {EmbeddedStore} from '../../src/embedded.js';
import {steps} from '../../steps/index.js';
import {loadDiagramRenderer} from '../../steps/mermaid.js';
import type {FieldSpec} from '../../steps/types.js';
import {CLI, tempRepo} from '../helpers/cli.js';
import {TmuxSession} from '../helpers/tmux.js';
import {example, getAt} from '../unit/example.js';

// Entities carry the drawn diagram, as every commit path loads the renderer first.
beforeAll(async () => loadDiagramRenderer());

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

/** The example cut down to a short design: one row per list, no optional parts. */
function shortDesign(): Answers {
	const answers = structuredClone(example());
	const cut = (value: unknown): unknown => {
		if (Array.isArray(value)) return value.slice(0, 1).map(cut);
		if (value && typeof value === 'object') {
			return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, cut(item)]));
		}

		return value;
	};

	const short = cut(answers) as Answers;
	delete short.architecture.diagram;
	delete short.slug;
	short.architecture.connections = [];
	short.task = {title: 'Design the editor'};
	return short;
}

/** Types one field in the pane, as a person would. */
function fill(field: FieldSpec, value: unknown) {
	const text = (item: unknown) => tmux.type(String(item));
	switch (field.kind) {
		case 'line':
			if (value !== undefined) text(value);
			return tmux.keys('Tab');
		case 'number':
		case 'text':
			if (value !== undefined) text(value);
			return tmux.keys('Tab');
		case 'choice': {
			tmux.keys('Right');
			for (let at = 0; at < field.options.indexOf(String(value)); at++) tmux.keys('Right');
			return tmux.keys('Tab');
		}

		case 'list':
			for (const item of (value as unknown[] | undefined) ?? []) {
				text(item);
				tmux.keys('Enter');
			}

			return tmux.keys('Tab');
		case 'table':
			for (const row of (value as Record<string, unknown>[] | undefined) ?? []) {
				for (const column of field.columns) {
					const cell = row[column.key];
					if (cell !== undefined) text(Array.isArray(cell) ? cell.join(' ') : cell);
					tmux.keys('Tab');
				}
			}

			for (const _ of field.columns) tmux.keys('Tab');
	}
}

test('the built CLI runs a short design to its Summary at 80x24 on the embedded store', async () => {
	const answers = shortDesign();
	tmux.start(`node ${CLI}`, {cwd: repo.dir, width: 80, height: 24});
	await tmux.waitFor('Store: embedded store in');
	tmux.type(answers.system);
	tmux.keys(['Enter', 'Enter', 'Enter', 'Enter']);
	tmux.type('Design the editor');
	tmux.keys(['Enter', 'Right', 'Enter']);
	for (const [index, step] of steps.entries()) {
		await tmux.waitFor(`Step ${index + 1} of 5: ${step.label}`);
		for (const field of step.fields) fill(field, getAt(answers, [step.id, ...field.path]));
		tmux.keys('C-n');
	}

	let screen = await tmux.waitFor('Review: everything that will be stored', 15_000);
	expect(screen).toContain('Title: System Requirements: Collaborative Document Editor');
	for (const line of screen.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
	tmux.keys('Enter');
	screen = await tmux.waitFor('Summary', 15_000);
	expect(screen).toContain('Collaborative Document Editor is designed as an AP system');
	expect(screen).toMatch(/task\s+[0-9a-f-]{36} \(created\)/);
	tmux.keys('q');
	screen = await tmux.waitFor('[exit 0]');
	expect(screen).toContain('Stored: task');

	const store = new EmbeddedStore({dir: path.join(repo.dir, '.engram-design')});
	const entities = await store.entities();
	expect(entities.map(entity => entity.title)).toEqual(
		steps.map(step => step.entity(answers, '').title),
	);
	expect(entities.map(entity => entity.content)).toEqual(
		steps.map(step => step.entity(answers, '').content),
	);
	const links = await store.links();
	expect(links).toHaveLength(5);
	const tasks = await store.tasks();
	expect(tasks.map(task => task.title)).toEqual(['Design the editor']);
	for (const link of links) expect(link.sourceId).toBe(tasks[0]!.id);
	// The draft is set aside once committed.
	await expect(readFile(path.join(repo.dir, '.engram-design', 'draft.json'))).rejects.toThrow();
}, 90_000);

test('without a terminal the session refuses and points at apply', async () => {
	const {runCli} = await import('../helpers/cli.js');
	const result = await runCli([], {cwd: repo.dir});
	expect(result.exitCode).toBe(2);
	expect(result.stderr).toContain('needs a terminal');
	expect(result.stderr).toContain('apply');
});
