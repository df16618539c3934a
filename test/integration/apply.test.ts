import {readdir, readFile, stat, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {afterEach, beforeAll, beforeEach, expect, test} from 'vitest';
import {answersSchema} from '../../src/answers.js';
import {codeCache} from '../../src/cached-scripts.js';
import {EmbeddedStore} from '../../src/embedded.js';
import {steps} from '../../steps/index.js';
import {loadDiagramRenderer} from '../../steps/mermaid.js';
import {
	CLI,
	EXAMPLE,
	FAKE_ENGRAM,
	fakeCalls,
	fakeEntity,
	flag,
	runCli,
	tempRepo,
} from '../helpers/cli.js';
import {rawExample} from '../unit/example.js';

// Entities carry the drawn diagram, as every commit path loads the renderer first.
beforeAll(async () => loadDiagramRenderer());

const TASK = 'a3f8b2c1-1234-5678-90ab-cdef12345678';
let repo: {dir: string; cleanup: () => Promise<void>};
let log: string;

beforeEach(async () => {
	repo = await tempRepo();
	log = path.join(repo.dir, 'calls.jsonl');
});

afterEach(async () => repo.cleanup());

const isCreate = (argv: readonly string[]) => argv[1] === 'create';

test('apply of the seed example makes exactly its five artifacts and five links', async () => {
	const result = await runCli(['apply', EXAMPLE, '--engram', FAKE_ENGRAM], {
		cwd: repo.dir,
		env: {FAKE_ENGRAM_LOG: log},
	});
	expect(result.stderr).toBe('');
	expect(result.exitCode).toBe(0);

	const creates = (await fakeCalls(log)).filter(call => isCreate(call.argv));
	expect(creates.map(call => call.outcome)).toEqual(Array(10).fill('ok'));
	expect(creates.map(call => call.argv.slice(0, 2).join(' '))).toEqual([
		'context create',
		'reasoning create',
		'reasoning create',
		'context create',
		'reasoning create',
		...Array(5).fill('relationship create'),
	]);

	const answers = answersSchema.parse(rawExample());
	const expected = steps.map(step => step.entity(answers, TASK));
	const artifacts = creates.slice(0, 5);
	for (const [index, call] of artifacts.entries()) {
		const entity = expected[index]!;
		expect(flag(call.argv, 'title')).toBe(entity.title);
		expect(flag(call.argv, 'tags')).toBe(entity.tags.join(','));
		expect(call.argv.some(arg => arg.startsWith('--content-file='))).toBe(true);
		if (entity.kind === 'reasoning') {
			expect(flag(call.argv, 'task-id')).toBe(TASK);
			expect(Number(flag(call.argv, 'confidence'))).toBe(entity.confidence);
			const stored = await fakeEntity(repo.dir, 'reasoning', call.id!);
			expect(stored['conclusion']).toBe(entity.content);
		} else {
			expect(flag(call.argv, 'source')).toBe('system-design');
			const stored = await fakeEntity(repo.dir, 'context', call.id!);
			expect(stored['content']).toBe(entity.content);
		}
	}

	expect(expected.map(entity => entity.title)).toEqual([
		'System Requirements: Collaborative Document Editor',
		'CAP Analysis: Collaborative Document Editor',
		'Consistency Model: Collaborative Document Editor',
		'Architecture Diagram: Collaborative Document Editor',
		'Scalability Strategy: Collaborative Document Editor',
	]);
	expect(expected.map(entity => entity.confidence)).toEqual([undefined, 0.85, 0.9, undefined, 0.8]);

	const links = creates.slice(5);
	expect(
		links.map(call => [
			flag(call.argv, 'source-id'),
			flag(call.argv, 'source-type'),
			flag(call.argv, 'target-id'),
			flag(call.argv, 'target-type'),
			flag(call.argv, 'relationship-type'),
			flag(call.argv, 'agent'),
		]),
	).toEqual(
		artifacts.map((call, index) => [
			TASK,
			'task',
			call.id,
			expected[index]!.kind,
			expected[index]!.kind === 'context' ? 'references' : 'documents',
			'default',
		]),
	);

	// Each id and link is printed.
	for (const call of creates) expect(result.stdout).toContain(call.id!);
});

test('a second apply of the same file creates nothing', async () => {
	const env = {FAKE_ENGRAM_LOG: log};
	await runCli(['apply', EXAMPLE, '--engram', FAKE_ENGRAM], {cwd: repo.dir, env});
	const again = await runCli(['apply', EXAMPLE, '--engram', FAKE_ENGRAM], {cwd: repo.dir, env});
	expect(again.exitCode).toBe(0);
	const creates = (await fakeCalls(log)).filter(call => isCreate(call.argv));
	expect(creates).toHaveLength(10);
});

test('apply creates the task when the file names none, then links to it', async () => {
	const raw = rawExample();
	delete raw['task'];
	const file = path.join(repo.dir, 'design.json');
	await writeFile(file, JSON.stringify(raw));
	const result = await runCli(['apply', file, '--engram', FAKE_ENGRAM], {
		cwd: repo.dir,
		env: {FAKE_ENGRAM_LOG: log},
	});
	expect(result.exitCode).toBe(0);
	const creates = (await fakeCalls(log)).filter(call => isCreate(call.argv));
	expect(creates.map(call => call.argv.slice(0, 2).join(' '))[0]).toBe('task create');
	const taskId = creates[0]!.id;
	expect(flag(creates[0]!.argv, 'title')).toBe('System design: Collaborative Document Editor');
	for (const call of creates.slice(6)) expect(flag(call.argv, 'source-id')).toBe(taskId);
	for (const call of creates.slice(1, 6)) {
		if (call.argv[0] === 'reasoning') expect(flag(call.argv, 'task-id')).toBe(taskId);
	}
});

test('apply on the embedded store keeps the same entities and links', async () => {
	const result = await runCli(['apply', EXAMPLE, '--store', 'embedded'], {cwd: repo.dir});
	expect(result.exitCode).toBe(0);
	const store = new EmbeddedStore({dir: path.join(repo.dir, '.engram-design')});
	const entities = await store.entities();
	expect(entities.map(entity => entity.title)).toEqual([
		'System Requirements: Collaborative Document Editor',
		'CAP Analysis: Collaborative Document Editor',
		'Consistency Model: Collaborative Document Editor',
		'Architecture Diagram: Collaborative Document Editor',
		'Scalability Strategy: Collaborative Document Editor',
	]);
	expect((await store.links()).map(link => link.type)).toEqual([
		'references',
		'documents',
		'documents',
		'references',
		'documents',
	]);
});

test.each([
	[
		'confidence out of range',
		(raw: Record<string, any>) => void (raw.cap.confidence = 1.5),
		'cap.confidence: Confidence must be between 0 and 1',
	],
	[
		'unknown component in a connection',
		(raw: Record<string, any>) => void (raw.architecture.connections[0].to = 'Nowhere'),
		'architecture.connections[0].to: Connection to "Nowhere" is not a component name',
	],
	[
		'missing section',
		(raw: Record<string, any>) => void delete raw.scalability,
		'scalability: Scalability strategy is required',
	],
	[
		'unknown field',
		(raw: Record<string, any>) => void (raw.colour = 'blue'),
		'unknown field "colour"',
	],
])('apply refuses %s with the field path and exit 2', async (_name, change, message) => {
	const raw = rawExample();
	change(raw);
	const file = path.join(repo.dir, 'design.json');
	await writeFile(file, JSON.stringify(raw));
	const result = await runCli(['apply', file, '--engram', FAKE_ENGRAM], {
		cwd: repo.dir,
		env: {FAKE_ENGRAM_LOG: log},
	});
	expect(result.exitCode).toBe(2);
	expect(result.stderr).toContain(message);
	expect(result.stderr).not.toMatch(/\n\s+at /);
	expect(await fakeCalls(log)).toEqual([]);
});

test.each([
	[
		'not JSON or YAML',
		'system: [unclosed',
		/design.yaml: not valid JSON or YAML at line 1, column 18/,
	],
	['a list, not a mapping', '- one\n- two\n', /must hold one object/],
	['empty', '', /the answers file is empty/],
])('apply refuses a file that is %s', async (_name, text, message) => {
	const file = path.join(repo.dir, 'design.yaml');
	await writeFile(file, text);
	const result = await runCli(['apply', file], {cwd: repo.dir});
	expect(result.exitCode).toBe(2);
	expect(result.stderr).toMatch(message);
});

test('apply of a missing file says so and exits 2', async () => {
	const result = await runCli(['apply', 'nowhere.yaml'], {cwd: repo.dir});
	expect(result.exitCode).toBe(2);
	expect(result.stderr).toContain('nowhere.yaml: cannot read the answers file (no such file)');
});

test('apply whose reader stops early still stores the whole design', async () => {
	const {execa} = await import('execa');
	const {CLI} = await import('../helpers/cli.js');
	const result = await execa(
		'bash',
		['-c', `node ${CLI} apply ${EXAMPLE} --store embedded | head -c 1`],
		{
			cwd: repo.dir,
			reject: false,
		},
	);
	expect(result.stderr).toBe('');
	const store = new EmbeddedStore({dir: path.join(repo.dir, '.engram-design')});
	expect(await store.entities()).toHaveLength(5);
	expect(await store.links()).toHaveLength(5);
});

test('apply caches its code: made by one run, used by the next, remade when damaged', async () => {
	const cacheHome = path.join(repo.dir, 'cache-home');
	const codeDir = path.join(cacheHome, 'engram-design', 'code');
	const apply = async () => {
		const again = await tempRepo();
		try {
			return await runCli(['apply', EXAMPLE, '--engram', FAKE_ENGRAM], {
				cwd: again.dir,
				env: {XDG_CACHE_HOME: cacheHome},
			});
		} finally {
			await again.cleanup();
		}
	};
	const manifest = JSON.parse(
		await readFile(path.join(path.dirname(CLI), 'apply', 'manifest.json'), 'utf8'),
	) as {entry: string; scripts: Record<string, string>};
	// The CLI runs with no flags of its own, and with this process's NODE_OPTIONS, if any.
	const {variant} = codeCache({...process.env, XDG_CACHE_HOME: cacheHome}, [])!;
	const known = new Set(
		Object.values(manifest.scripts).map(
			hash => `${hash}-${variant}-node${process.version}-${process.arch}.bin`,
		),
	);
	const cacheFiles = async () =>
		Object.fromEntries(
			await Promise.all(
				(await readdir(codeDir)).map(async name => [
					name,
					(await stat(path.join(codeDir, name))).mtimeMs,
				]),
			),
		) as Record<string, number>;

	const first = await apply();
	expect(first.stderr).toBe('');
	expect(first.exitCode).toBe(0);
	const made = await cacheFiles();
	// The entry, zod, js-yaml, the schemas, the engram store and execa at least.
	expect(Object.keys(made).length).toBeGreaterThanOrEqual(5);
	for (const name of Object.keys(made)) expect(known).toContain(name);

	const second = await apply();
	expect(second.exitCode).toBe(0);
	const withoutIds = (text: unknown) => String(text).replace(/[0-9a-f-]{36}/g, 'ID');
	expect(withoutIds(second.stdout)).toBe(withoutIds(first.stdout));
	expect(await cacheFiles()).toEqual(made);

	const damaged = Object.keys(made)[0]!;
	await writeFile(path.join(codeDir, damaged), 'not a code cache');
	const third = await apply();
	expect(third.stderr).toBe('');
	expect(third.exitCode).toBe(0);
	expect((await stat(path.join(codeDir, damaged))).size).toBeGreaterThan(100);
});

test('apply whose code cache cannot be kept runs all the same and says nothing of it', async () => {
	const blocker = path.join(repo.dir, 'cache-home');
	await writeFile(blocker, 'a file where the cache folder would go');
	const result = await runCli(['apply', EXAMPLE, '--engram', FAKE_ENGRAM], {
		cwd: repo.dir,
		env: {XDG_CACHE_HOME: blocker},
	});
	expect(result.stderr).toBe('');
	expect(result.exitCode).toBe(0);
	expect(result.stdout).toContain('5 artifacts and links stored');
});
