import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {DraftSaver, readDraft, retireDraft} from '../../src/drafts.js';

let dir: string;
let file: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'engram-design-drafts-'));
	file = path.join(dir, 'data', 'draft.json');
});

afterEach(async () => rm(dir, {recursive: true, force: true}));

const draft = (system: string) => ({screen: 'step' as const, step: 1, focus: {'step:1': 2}, taskMode: 'new' as const, draft: {system}});
const savedSystem = () => readDraft(file)?.draft['system'];
const leftovers = () => readdirSync(path.dirname(file)).filter(name => name !== 'draft.json');

test('a saved draft is written after the delay, in the background', async () => {
	const saver = new DraftSaver(file, 20);
	saver.save(draft('one'));
	expect(existsSync(file)).toBe(false);
	await delay(200);
	expect(savedSystem()).toBe('one');
	expect(leftovers()).toEqual([]);
});

test('flush writes the newest draft at once', () => {
	const saver = new DraftSaver(file, 10_000);
	saver.save(draft('one'));
	saver.save(draft('two'));
	saver.flush();
	expect(savedSystem()).toBe('two');
});

test('a background write still under way never replaces what flush wrote', async () => {
	const saver = new DraftSaver(file, 0);
	saver.save(draft('old'));
	// The timer fires and the background write begins; flush overtakes it.
	await delay(1);
	saver.save(draft('new'));
	saver.flush();
	expect(savedSystem()).toBe('new');
	await delay(200);
	expect(savedSystem()).toBe('new');
	expect(leftovers()).toEqual([]);
});

test('flush writes the draft a background write had not yet put in place', async () => {
	const saver = new DraftSaver(file, 0);
	saver.save(draft('only'));
	await delay(1);
	saver.flush();
	expect(savedSystem()).toBe('only');
});

test('a retired draft is not written again by a write begun before the final flush', async () => {
	const saver = new DraftSaver(file, 0);
	saver.save(draft('done'));
	await delay(1);
	saver.flush();
	retireDraft(file);
	await delay(200);
	expect(existsSync(file)).toBe(false);
	expect(readFileSync(`${file}.committed`, 'utf8')).toContain('"done"');
});
