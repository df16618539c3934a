import {setTimeout as delay} from 'node:timers/promises';
import {render} from 'ink-testing-library';
import {afterEach, beforeAll, expect, test} from 'vitest';
import {App, type SessionEnd} from '../../components/App.js';
import type {Answers} from '../../src/answers.js';
import {commitDesign} from '../../src/commit.js';
import {MemoryJournal} from '../../src/journal.js';
import {steps} from '../../steps/index.js';
import {loadDiagramRenderer} from '../../steps/mermaid.js';
import type {FieldSpec} from '../../steps/types.js';
import {MemoryStore} from '../helpers/memory-store.js';
import {example, getAt} from '../unit/example.js';

// Entities carry the drawn diagram, as every commit path loads the renderer first.
beforeAll(async () => loadDiagramRenderer());

const ENTER = '\r';
const TAB = '\t';
const RIGHT = '\u001B[C';
const CTRL_N = '\u000E';
const CTRL_P = '\u0010';
const CTRL_X = '\u0018';
const CTRL_U = '\u0015';

let unmount: (() => void) | undefined;
afterEach(() => unmount?.());

function start(store = new MemoryStore(), size = {columns: 100, rows: 30}) {
	const ends: SessionEnd[] = [];
	const journal = new MemoryJournal();
	const app = render(
		<App
			storeLabel={'memory store for tests'}
			loadTasks={() => store.listTasks()}
			commit={async (answers, onEvent) => commitDesign({answers, store, journal, onEvent})}
			onEnd={end => ends.push(end)}
			{...size}
		/>,
	);
	unmount = app.unmount;
	const press = async (...keys: string[]) => {
		for (const key of keys) {
			app.stdin.write(key);
			await delay(8);
		}
	};

	return {...app, store, ends, journal, press};
}

type Session = ReturnType<typeof start>;

async function waitForFrame(session: Session, text: string | RegExp): Promise<string> {
	for (let tries = 0; tries < 200; tries++) {
		const frame = session.lastFrame() ?? '';
		if (typeof text === 'string' ? frame.includes(text) : text.test(frame)) return frame;
		await delay(10);
	}

	throw new Error(`never showed ${String(text)}:\n${session.lastFrame()}`);
}

/** Types one field's value the way a person would: Enter after a line, a paste for text. */
async function fill(session: Session, field: FieldSpec, value: unknown) {
	const {press} = session;
	switch (field.kind) {
		case 'line':
			if (value === undefined) return press(TAB);
			return press(String(value), ENTER);
		case 'number':
			// Tab, not Enter: Enter on a step's last field would move on to the next step.
			if (value === undefined) return press(TAB);
			return press(String(value), TAB);
		case 'text':
			if (value === undefined) return press(TAB);
			return press(String(value), TAB);
		case 'choice': {
			// Nothing is chosen yet: the first Right chooses the first option.
			const target = field.options.indexOf(String(value));
			await press(RIGHT);
			for (let at = 0; at < target; at++) await press(RIGHT);
			return press(ENTER);
		}

		case 'list': {
			for (const item of (value as string[] | undefined) ?? []) await press(item, ENTER);
			return press(TAB);
		}

		case 'table': {
			for (const row of (value as Record<string, unknown>[] | undefined) ?? []) {
				for (const column of field.columns) {
					const cell = row[column.key];
					if (cell === undefined) await press(TAB);
					else if (column.list) await press((cell as string[]).join('\n'), TAB);
					else await press(String(cell), TAB);
				}
			}

			// The blank row that adds another one.
			for (const _ of field.columns) await press(TAB);
		}
	}
}

async function fillStart(session: Session, answers: Answers) {
	await waitForFrame(session, 'Store: memory store for tests');
	await session.press(answers.system, ENTER, answers.slug ?? '', ENTER, ENTER);
	await session.press(RIGHT, ENTER);
	// Enter on the last field moves on to the first step.
	await session.press((answers.task as {id: string}).id, ENTER);
}

async function fillStep(session: Session, answers: Answers, index: number) {
	const step = steps[index]!;
	await waitForFrame(session, `Step ${index + 1} of 5: ${step.label}`);
	for (const field of step.fields) {
		await fill(session, field, getAt(answers, [step.id, ...field.path]));
	}
}

test('a whole session typed through, with back and forward, stores the example exactly', async () => {
	const answers = example();
	const session = start();
	await fillStart(session, answers);
	for (let index = 0; index < 3; index++) {
		await fillStep(session, answers, index);
		await session.press(CTRL_N);
	}

	// Back two steps and forward again: every answer is still there.
	await waitForFrame(session, 'Step 4 of 5');
	await session.press(CTRL_P, CTRL_P);
	// The step reopens at the field last focused there: the confidence, as typed.
	const back = await waitForFrame(session, 'Step 2 of 5: CAP analysis');
	expect(back).toMatch(/›Confidence\s+0\.85/);
	await session.press(CTRL_N, CTRL_N);
	await fillStep(session, answers, 3);
	await session.press(CTRL_N);
	await fillStep(session, answers, 4);
	await session.press(CTRL_N);

	const review = await waitForFrame(session, 'Review: everything that will be stored');
	expect(review).toContain('Title: System Requirements: Collaborative Document Editor');
	expect(review).toContain('Tags: system-design,requirements,collab-editor');
	await session.press(ENTER);
	const summary = await waitForFrame(session, 'Summary');
	expect(summary).toContain('Collaborative Document Editor is designed as an AP system');

	const expected = steps.map(step =>
		step.entity(answers, answers.task && 'id' in answers.task ? answers.task.id : ''),
	);
	const stored = session.store.calls.filter(
		call => call.op === 'context' || call.op === 'reasoning',
	);
	expect(stored.map(call => call.value.title)).toEqual(expected.map(entity => entity.title));
	expect(stored.map(call => call.value.content)).toEqual(expected.map(entity => entity.content));
	expect(session.store.calls.filter(call => call.op === 'link')).toHaveLength(5);
	expect(session.store.calls.filter(call => call.op === 'task')).toHaveLength(0);

	await session.press('q');
	expect(session.ends).toEqual([expect.objectContaining({kind: 'committed'})]);
}, 120_000);

test('an invalid answer is shown beside its field and blocks moving on until fixed', async () => {
	const answers = example();
	const session = start();
	await fillStart(session, answers);
	await fillStep(session, answers, 0);
	await session.press(CTRL_N);
	await waitForFrame(session, 'Step 2 of 5');
	await session.press(CTRL_N);
	let frame = await waitForFrame(session, 'Network partitions is required');
	expect(frame).toContain('Step 2 of 5');
	expect(frame).toMatch(/answers? to fix before moving on/);

	await fillStep(session, answers, 1);
	// Confidence out of range: type it again as 1.5.
	await session.press(CTRL_U, '1.5', CTRL_N);
	frame = await waitForFrame(session, 'Confidence must be between 0 and 1');
	expect(frame).toContain('Step 2 of 5');
	await session.press(CTRL_U, '0.85', CTRL_N);
	await waitForFrame(session, 'Step 3 of 5');
}, 60_000);

test('rows of a list are deleted and moved with keys', async () => {
	const answers = example();
	const session = start();
	await fillStart(session, answers);
	await waitForFrame(session, 'Step 1 of 5');
	// Functional requirements: the first field is a table of name and description.
	await session.press('first', TAB, 'one', TAB, 'second', TAB, 'two', TAB);
	// Back to the second row, then Alt+Up moves it above the first.
	await session.press('\u001B[Z', '\u001B[Z');
	await session.press('\u001B[1;3A');
	let frame = await waitForFrame(session, /1\. Requirement\s+second/);
	expect(frame).toMatch(/2\. Requirement\s+first/);
	await session.press(CTRL_X);
	frame = await waitForFrame(session, /1\. Requirement\s+first/);
	expect(frame).not.toContain('second');
}, 30_000);

test('Ctrl+C ends the session as cancelled, keeping what was typed for the draft', async () => {
	const session = start();
	await waitForFrame(session, 'Store:');
	await session.press('Half typed', '\u0003');
	expect(session.ends).toEqual([{kind: 'cancelled'}]);
});

test('keys that arrive together or without a pause all land in the session’s fields', async () => {
	const session = start();
	await waitForFrame(session, 'Store:');
	// Three writes without a pause, then one chunk holding text, Left and more text.
	session.stdin.write('a');
	session.stdin.write('b');
	session.stdin.write('c');
	session.stdin.write('xy\u001B[Dz');
	await waitForFrame(session, /System name\s+abcxzy/);
	// Text, Tab and more text in one chunk: the text after Tab goes to the next field.
	session.stdin.write(`\u0005${CTRL_U}Editor\tedit-or`);
	const frame = await waitForFrame(session, /Slug\s+edit-or/);
	expect(frame).toMatch(/System name\s+Editor\s/);
	// Ctrl+W, Ctrl+A, Home and an emoji removed whole by Backspace.
	session.stdin.write('\u0017\u0001x\u001B[Hy\u001B[Fz😀\u007F');
	await waitForFrame(session, /Slug\s+yxz\s/);
});

test('a draft opened on the Start screen can give way to a new design and come back', async () => {
	const app = render(
		<App
			storeLabel="memory store for tests"
			initialDraft={{system: 'Old design'}}
			resume={{offerNew: {savedAt: '2026-12-04T10:00:00.000Z'}}}
			commit={async () => {
				throw new Error('not committed here');
			}}
			onEnd={() => {}}
			columns={100}
			rows={30}
		/>,
	);
	unmount = app.unmount;
	const session = {...app, press: async () => {}} as unknown as Session;
	await waitForFrame(session, /Draft\s+● continue the saved draft\s+○ start a new design/);
	expect(app.lastFrame()).toMatch(/System name\s+Old design/);
	app.stdin.write(RIGHT);
	await waitForFrame(session, /○ continue the saved draft\s+● start a new design/);
	expect(app.lastFrame()).not.toContain('Old design');
	app.stdin.write(`\u001B[D`);
	await waitForFrame(session, /System name\s+Old design/);
});

test('a paste longer than a field holds is cut at its limit, and the field says so', async () => {
	const session = start();
	await waitForFrame(session, 'Store:');
	session.stdin.write(`\u001B[200~${'x'.repeat(600)}\u001B[201~`);
	const frame = await waitForFrame(
		session,
		'holds at most 500 characters; the rest of the paste was left out',
	);
	expect(frame).toContain('System name');
});

test('a moved row keeps the focus, so moving it again goes on moving it', async () => {
	const answers = example();
	const session = start();
	await fillStart(session, answers);
	await waitForFrame(session, 'Step 1 of 5');
	// Down to the CAP step's behaviour list: three rows, the focus on the third.
	await fillStep(session, answers, 0);
	await session.press(CTRL_N);
	await waitForFrame(session, 'Step 2 of 5');
	await session.press(TAB, TAB, TAB, 'one', ENTER, 'two', ENTER, 'three');
	await session.press('\u001B[1;3A', '\u001B[1;3A');
	const frame = await waitForFrame(session, /1\.\s+three/);
	expect(frame).toMatch(/2\.\s+one/);
	expect(frame).toMatch(/3\.\s+two/);
	expect(frame).toMatch(/›1\.\s+three/);
}, 60_000);
