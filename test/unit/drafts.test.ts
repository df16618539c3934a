import {existsSync, readdirSync, readFileSync} from 'node:fs';
import {mkdtemp, readFile, rm, writeFile} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {
	DraftError,
	DraftSaver,
	draftVersion,
	readDraft,
	retireDraft,
	upgradeDraft,
} from '../../src/drafts.js';
import {UsageError} from '../../src/options.js';

let dir: string;
let file: string;

beforeEach(async () => {
	dir = await mkdtemp(path.join(os.tmpdir(), 'drafts-test-'));
	file = path.join(dir, 'data', 'draft.json');
});

afterEach(async () => {
	await rm(dir, {recursive: true, force: true});
});

const place = {screen: 'step', step: 1, focus: {'step:1': 2}, taskMode: 'new'} as const;
const saved = () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

describe('DraftSaver', () => {
	test('saves at most a second behind the last change', () => {
		expect(new DraftSaver(file).delayMs).toBeLessThanOrEqual(1000);
	});

	test('a burst of changes is written once, soon, with the last of them', async () => {
		const saver = new DraftSaver(file, 50);
		saver.save({...place, draft: {system: 'A'}});
		saver.save({...place, draft: {system: 'AB'}});
		expect(existsSync(file)).toBe(false);
		await delay(150);
		expect(saved()).toMatchObject({version: draftVersion, ...place, draft: {system: 'AB'}});
	});

	test('flush writes at once and leaves nothing for later', () => {
		const saver = new DraftSaver(file, 10_000);
		saver.save({...place, draft: {system: 'Now'}});
		saver.flush();
		expect(saved()).toMatchObject({draft: {system: 'Now'}});
		saver.flush();
		expect(saved()).toMatchObject({draft: {system: 'Now'}});
	});

	test('keeps changes that arrive while a save is due', async () => {
		const saver = new DraftSaver(file, 40);
		saver.save({...place, draft: {system: 'One'}});
		await delay(80);
		saver.save({...place, draft: {system: 'Two'}});
		await delay(80);
		expect(saved()).toMatchObject({draft: {system: 'Two'}});
	});
});

describe('reading drafts', () => {
	test('format 0, the bare answers object, opens on the Start screen', () => {
		const answers = {system: 'Legacy', cap: {choice: 'AP'}};
		expect(upgradeDraft(answers, file)).toEqual({
			version: draftVersion,
			savedAt: '',
			screen: 'start',
			step: 0,
			focus: {},
			taskMode: 'new',
			draft: answers,
		});
	});

	test('the current format keeps its place; a step out of range is brought in', () => {
		const current = {version: 1, savedAt: 'then', ...place, draft: {system: 'X'}};
		expect(upgradeDraft(current, file)).toEqual(current);
		expect(upgradeDraft({...current, step: 9}, file).step).toBe(4);
		expect(upgradeDraft({...current, screen: 'commit'}, file).screen).toBe('start');
	});

	test.each<[string, unknown, string]>([
		['a newer format', {version: 2, draft: {}}, 'written by a newer engram-design (format 2)'],
		['a list', [1, 2], 'not a draft object'],
		['a draft with no answers', {version: 1, draft: 'text'}, 'it holds no answers'],
	])('%s is refused, naming the file and why', (_name, data, reason) => {
		expect(() => upgradeDraft(data, file)).toThrow(
			`${file}: the draft cannot be read (${reason}); it was left untouched`,
		);
	});

	test('a draft that is not JSON: a usage error (exit 2), the file left as it was', async () => {
		await rm(path.dirname(file), {recursive: true, force: true});
		await writeFile(path.join(dir, 'draft.json'), '{"version": 1, "dra');
		const broken = path.join(dir, 'draft.json');
		let error: unknown;
		try {
			readDraft(broken);
		} catch (caught) {
			error = caught;
		}

		expect(error).toBeInstanceOf(DraftError);
		expect(error).toBeInstanceOf(UsageError);
		expect((error as Error).message).toMatch(/the draft cannot be read \(not JSON: /);
		expect(await readFile(broken, 'utf8')).toBe('{"version": 1, "dra');
	});

	test('no draft reads as none', () => {
		expect(readDraft(file)).toBeUndefined();
	});
});

describe('DraftSaver in the background', () => {
	const draft = (system: string) => ({
		screen: 'step' as const,
		step: 1,
		focus: {'step:1': 2},
		taskMode: 'new' as const,
		draft: {system},
	});
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
});
