import {mkdir, readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeEach, expect, test} from 'vitest';
import {EXAMPLE, runCli, tempRepo} from '../helpers/cli.js';
import {rawExample} from '../unit/example.js';

let repo: {dir: string; cleanup: () => Promise<void>};
beforeEach(async () => {
	repo = await tempRepo();
});
afterEach(async () => repo.cleanup());

test('export writes one design document: title, artifacts table, five sections, the diagram', async () => {
	const result = await runCli(['export', EXAMPLE], {cwd: repo.dir});
	expect(result.exitCode).toBe(0);
	const document = String(result.stdout);
	expect(document.startsWith('# System Design: Collaborative Document Editor\n')).toBe(true);
	expect(document).toContain('| Step | Entity | Title | Tags | Link from the task |');
	expect(document).toContain(
		'| 2. CAP analysis | reasoning | CAP Analysis: Collaborative Document Editor | system-design, cap-theorem, collab-editor | documents |',
	);
	const sections = document.split('\n').filter(line => /^## \d\. /.test(line));
	expect(sections).toEqual([
		'## 1. Requirements',
		'## 2. CAP analysis',
		'## 3. Consistency model',
		'## 4. Architecture',
		'## 5. Scalability strategy',
	]);
	// Each step's own headings sit one level under the document's sections.
	expect(document).toContain('### Functional Requirements');
	expect(document).toContain('│  WebSocket Server│ (Stateful, sticky sessions)');
	expect(document).toContain('Confidence: 0.85');
});

test('export --out writes the file instead of standard output', async () => {
	const result = await runCli(['export', EXAMPLE, '--out', 'design.md'], {cwd: repo.dir});
	expect(result.exitCode).toBe(0);
	expect(result.stdout).toBe('');
	const written = await readFile(path.join(repo.dir, 'design.md'), 'utf8');
	expect(written).toContain('# System Design: Collaborative Document Editor');
});

test('export of an unfinished draft names what is missing and shows placeholders', async () => {
	const draft = rawExample() as Record<string, any>;
	delete draft.cap.rationale;
	draft.scalability.confidence = '2';
	const dir = path.join(repo.dir, '.engram-design');
	await mkdir(dir);
	await writeFile(
		path.join(dir, 'draft.json'),
		JSON.stringify({
			version: 1,
			savedAt: '',
			screen: 'step',
			step: 1,
			focus: {},
			taskMode: 'existing',
			draft,
		}),
	);
	const result = await runCli(['export', '.engram-design/draft.json'], {cwd: repo.dir});
	expect(result.exitCode).toBe(0);
	expect(result.stdout).toContain('> Draft: 2 answers are still missing or invalid');
	expect(result.stdout).toContain('> - cap.rationale: Rationale is required');
	expect(result.stdout).toContain('> - scalability.confidence: Confidence must be between 0 and 1');
	expect(result.stdout).toContain('[Rationale]');
});

test('export of a bad file names the field and exits 2', async () => {
	const raw = rawExample() as Record<string, any>;
	raw.cap.choice = 'AC';
	await writeFile(path.join(repo.dir, 'bad.json'), JSON.stringify(raw));
	const result = await runCli(['export', 'bad.json'], {cwd: repo.dir});
	expect(result.exitCode).toBe(2);
	expect(result.stderr).toContain('bad.json: cap.choice: Choice must be CP, AP or CA');
});
