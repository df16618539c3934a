#!/usr/bin/env node
// npm run bench: how fast engram-design is at the terminal, each figure measured side by side
// with a yardstick in the same run and given as a ratio against its target. Not a test: the
// numbers depend on the machine and on what else it is doing.
//
//   node scripts/bench.mjs [startup] [typing] [commit] [preview] [memory] [--runs=N] [--keys=N]
//
// Programs run on a pseudo-terminal driven by scripts/bench/terminal.py (python3's pty
// module); dist/ must have been built (npm run bench builds it first).
import {spawn, spawnSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {CORE_SCHEMA, load} from 'js-yaml';
import {bundle} from './build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const benchDir = path.join(root, 'scripts', 'bench');
const cli = path.join(root, 'dist', 'cli.js');
const fakeEngram = path.join(root, 'test', 'fake-engram', 'engram');
const example = path.join(root, 'examples', 'collab-editor.yaml');

const figureNames = ['startup', 'typing', 'commit', 'preview', 'memory'];
const argv = process.argv.slice(2);
const option = (name, fallback) => Number(argv.find(arg => arg.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const wanted = argv.filter(arg => !arg.startsWith('--'));
for (const name of wanted) {
	if (!figureNames.includes(name)) throw new Error(`unknown figure ${name}; the figures are ${figureNames.join(', ')}`);
}

const runs = option('runs', 15);
const keyCount = option('keys', 200);

const work = mkdtempSync(path.join(os.tmpdir(), 'engram-design-bench-'));
process.on('exit', () => rmSync(work, {recursive: true, force: true}));
let serial = 0;
const freshDir = name => {
	const dir = path.join(work, `${name}-${++serial}`);
	mkdirSync(dir, {recursive: true});
	return dir;
};

const freshRepo = name => {
	const dir = freshDir(name);
	spawnSync('git', ['init', '-q'], {cwd: dir, stdio: 'ignore'});
	return dir;
};

// ---------------------------------------------------------------------------------------
// Measuring helpers

/** Runs a plan on a pseudo-terminal (see terminal.py) and returns what it measured. */
function terminal(plan) {
	const result = spawnSync('python3', [path.join(benchDir, 'terminal.py'), JSON.stringify(plan)], {
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
	});
	if (result.error) throw result.error;
	let out;
	try {
		out = JSON.parse(result.stdout);
	} catch {
		throw new Error(`the terminal driver failed: ${result.stderr || result.stdout}`);
	}

	if (out.error) throw new Error(`${plan.argv.join(' ')}: ${out.error}\n--- last output ---\n${out.tail}`);
	return out;
}

/** Wall time of one process from spawn to exit, in ms; its output is read as a caller would. */
function timed(command, args, options) {
	return new Promise((resolve, reject) => {
		const started = process.hrtime.bigint();
		const child = spawn(command, args, {...options, stdio: ['ignore', 'pipe', 'pipe']});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', chunk => (stdout += chunk));
		child.stderr.on('data', chunk => (stderr += chunk));
		child.on('error', reject);
		child.on('close', code => resolve({ms: Number(process.hrtime.bigint() - started) / 1e6, code, stdout, stderr}));
	});
}

const sorted = values => [...values].sort((a, b) => a - b);
/** Nearest-rank percentile. */
const percentile = (values, p) => {
	const list = sorted(values);
	return list[Math.min(list.length - 1, Math.max(0, Math.ceil((p / 100) * list.length) - 1))];
};

const median = values => percentile(values, 50);
const ms = value => `${value.toFixed(1)} ms`;
const mib = kib => `${(kib / 1024).toFixed(1)} MiB`;

const lines = [];
function report(name, text, ratio, target, pass) {
	const line = `${name.padEnd(10)} ${text} | ratio ${ratio.toFixed(2)} | target ${target} | ${pass ? 'pass' : 'FAIL'}`;
	lines.push({line, pass});
	console.log(line);
}

// ---------------------------------------------------------------------------------------
// Inputs

/** `bytes` bytes of plain prose in lines of about 70 characters. */
function prose(bytes, seed = 1) {
	const words = [
		'replica', 'leader', 'quorum', 'write', 'read', 'shard', 'cache', 'edit', 'merge',
		'document', 'cursor', 'latency', 'partition', 'region', 'client', 'server', 'the', 'a',
		'of', 'and', 'to', 'every', 'when', 'is', 'are', 'stored', 'synced', 'within', 'ms',
	];
	let state = seed;
	const next = () => {
		state = (state * 1103515245 + 12345) % 2147483648;
		return state;
	};

	let text = '';
	let line = '';
	while (text.length + line.length < bytes) {
		const word = words[next() % words.length];
		if (line.length + word.length + 1 > 70) {
			text += `${line}.\n`;
			line = '';
		}

		line += line ? ` ${word}` : word[0].toUpperCase() + word.slice(1);
	}

	return `${text}${line}`.slice(0, bytes).trimEnd();
}

const exampleAnswers = () => load(readFileSync(example, 'utf8'), {schema: CORE_SCHEMA});

/** A data folder holding a draft open at `step` with the field at `focus` focused. */
function draftDir(draft, step, focus) {
	const dir = freshDir('data');
	const file = {
		version: 1,
		savedAt: new Date().toISOString(),
		screen: 'step',
		step,
		focus: {[`step:${step}`]: focus},
		taskMode: draft.task && 'id' in draft.task ? 'existing' : 'new',
		draft,
	};
	writeFileSync(path.join(dir, 'draft.json'), `${JSON.stringify(file, null, '\t')}\n`);
	return dir;
}

const CTRL_C = '\u0003';
const CTRL_N = '\u000E';
const CTRL_O = '\u000F';
const TAB = '\t';
const typed = 'the quick brown fox jumps over the lazy dog ';
const app = (...args) => ['node', cli, ...args, '--engram', fakeEngram];

// ---------------------------------------------------------------------------------------
// Figures

/** From process start to the first frame of the Start screen, against `node -e 0`. */
function startup() {
	const repo = freshRepo('startup');
	const appRun = () =>
		terminal({
			argv: app('--data-dir', freshDir('data')),
			cwd: repo,
			cols: 100,
			rows: 30,
			steps: [{op: 'expect', text: 'Start: name the system', mark: 'frame'}, {op: 'send', data: CTRL_C}, {op: 'eof'}],
		}).marks.frame;
	const nodeRun = () => terminal({argv: ['node', '-e', '0'], cwd: repo, steps: [{op: 'eof', mark: 'end'}]}).marks.end;
	appRun();
	nodeRun();
	const appTimes = [];
	const nodeTimes = [];
	for (let run = 0; run < runs; run++) {
		if (run % 2 === 0) {
			appTimes.push(appRun());
			nodeTimes.push(nodeRun());
		} else {
			nodeTimes.push(nodeRun());
			appTimes.push(appRun());
		}
	}

	const ratio = median(appTimes) / median(nodeTimes);
	report(
		'start-up',
		`first frame of the Start screen ${ms(median(appTimes))} | node -e 0 ${ms(median(nodeTimes))} (medians of ${runs})`,
		ratio,
		'≤ 2.50',
		ratio <= 2.5,
	);
}

/** Key-to-frame times typing into a 10 KB multi-line field beside the preview, against a one-field Ink app. */
function typing(fixtures) {
	const text = prose(10 * 1024);
	const textFile = path.join(freshDir('typing'), 'text.txt');
	writeFileSync(textFile, text);
	const draft = exampleAnswers();
	draft.cap.rationale = text;
	const repo = freshRepo('typing');
	const rounds = 4;
	const perRound = Math.ceil(keyCount / rounds);
	const keys = {op: 'keys', text: typed, count: perRound, gap: 50, settle: 10, mark: 'typing'};

	// The CAP step: its third field is the multi-line Rationale.
	const appRun = () =>
		terminal({
			argv: app('resume', '--data-dir', draftDir(draft, 1, 2)),
			cwd: repo,
			cols: 140,
			rows: 40,
			steps: [
				{op: 'expect', text: 'Step 2 of 5'},
				{op: 'send', data: CTRL_O},
				{op: 'expect', text: 'PgUp/PgDn · '},
				{op: 'quiet', ms: 300},
				keys,
				{op: 'send', data: CTRL_C},
				{op: 'eof'},
			],
		}).keys.typing.last;
	const fieldRun = () =>
		terminal({
			argv: ['node', path.join(fixtures, 'one-field.js'), textFile],
			cwd: repo,
			cols: 140,
			rows: 40,
			steps: [{op: 'expect', text: 'one field'}, {op: 'quiet', ms: 300}, keys, {op: 'send', data: CTRL_C}, {op: 'eof'}],
		}).keys.typing.last;

	const appTimes = [];
	const fieldTimes = [];
	for (let round = 0; round < rounds; round++) {
		if (round % 2 === 0) {
			appTimes.push(...appRun());
			fieldTimes.push(...fieldRun());
		} else {
			fieldTimes.push(...fieldRun());
			appTimes.push(...appRun());
		}
	}

	const p50 = percentile(appTimes, 50) / percentile(fieldTimes, 50);
	const p99 = percentile(appTimes, 99) / percentile(fieldTimes, 99);
	report(
		'typing',
		`10 KB field, preview shown, ${appTimes.length} keys: p50 ${ms(percentile(appTimes, 50))} p99 ${ms(percentile(appTimes, 99))} | one-field Ink app p50 ${ms(percentile(fieldTimes, 50))} p99 ${ms(percentile(fieldTimes, 99))}`,
		Math.max(p50, p99),
		`≤ 1.50 (p50 ${p50.toFixed(2)}, p99 ${p99.toFixed(2)})`,
		p50 <= 1.5 && p99 <= 1.5,
	);
}

/** The whole commit of the example against the fake engram, against the same calls made bare. */
async function commit() {
	const env = {...process.env, FAKE_ENGRAM_DELAY_MS: '100'};
	// One untimed run through a recorder keeps the contents of the files the calls name.
	const record = path.join(freshDir('record'), 'calls.jsonl');
	const recorded = await timed('node', [cli, 'apply', example, '--engram', path.join(benchDir, 'record-engram.mjs')], {
		cwd: freshRepo('commit'),
		env: {...env, BENCH_ENGRAM: fakeEngram, BENCH_RECORD: record},
	});
	if (recorded.code !== 0) throw new Error(`apply failed: ${recorded.stderr}`);
	const contents = new Map();
	const keyOf = args => JSON.stringify(args.filter(arg => !/^--[a-z-]+-file=/.test(arg)));
	for (const line of readFileSync(record, 'utf8').trim().split('\n')) {
		const call = JSON.parse(line);
		contents.set(keyOf(call.args), call.files);
	}

	const appRun = async () => {
		const log = path.join(freshDir('log'), 'fake.jsonl');
		const result = await timed('node', [cli, 'apply', example, '--engram', fakeEngram], {
			cwd: freshRepo('commit'),
			env: {...env, FAKE_ENGRAM_LOG: log},
		});
		if (result.code !== 0) throw new Error(`apply failed: ${result.stderr}`);
		const calls = readFileSync(log, 'utf8').trim().split('\n').map(line => JSON.parse(line).argv);
		return {ms: result.ms, calls};
	};

	// The logged argv replayed one after another in a fresh repository, each file it names
	// written beforehand with the recorded contents.
	const bareRun = async calls => {
		const repo = freshRepo('bare');
		const files = freshDir('files');
		const prepared = calls.map((args, index) => {
			const saved = contents.get(keyOf(args)) ?? {};
			return args.map(arg => {
				const match = /^(--[a-z-]+-file=)(.+)$/.exec(arg);
				if (!match) return arg;
				const file = path.join(files, `${index}-${path.basename(match[2])}`);
				writeFileSync(file, saved[match[2]] ?? Object.values(saved)[0] ?? '');
				return match[1] + file;
			});
		});
		let total = 0;
		for (const args of prepared) {
			const result = await timed(fakeEngram, args, {cwd: repo, env});
			const allowed = result.code === 0 || (args[1] === 'show' && result.code === 1);
			if (!allowed) throw new Error(`bare engram ${args.slice(0, 2).join(' ')} failed: ${result.stderr}`);
			total += result.ms;
		}

		return total;
	};

	// The calls without the ids of what they created and the files they name: those differ.
	const shapeOf = calls => calls.map(keyOf).join('\n').replace(/[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}/g, 'ID');

	// Rounds alternate which side goes first, and the ratio is taken round by round: the
	// machine's speed drifts over the minute this takes, and a pair shares its moment.
	const appTimes = [];
	const bareTimes = [];
	const ratios = [];
	let callCount = 0;
	let lastCalls = [];
	const rounds = Math.max(5, Math.ceil(runs / 2));
	for (let round = 0; round < rounds; round++) {
		let app;
		let bare;
		if (round % 2 === 0) {
			app = await appRun();
			bare = await bareRun(app.calls);
		} else {
			// The calls of the round before, which every round checks are the same.
			bare = await bareRun(lastCalls);
			app = await appRun();
		}

		if (round > 0 && shapeOf(app.calls) !== shapeOf(lastCalls)) {
			throw new Error('apply made other engram calls than in the round before');
		}

		lastCalls = app.calls;
		callCount = app.calls.length;
		appTimes.push(app.ms);
		bareTimes.push(bare);
		ratios.push(app.ms / bare);
	}

	const ratio = median(ratios);
	report(
		'commit',
		`apply of the example, ${callCount} engram calls at 100 ms each: ${ms(median(appTimes))} | the same calls bare ${ms(median(bareTimes))} (medians of ${rounds} rounds)`,
		ratio,
		'≤ 1.10 (median of the rounds\' ratios)',
		ratio <= 1.1,
	);
}

/** The longest key-to-frame time while the preview of a 100 KB design is drawn and redrawn. */
function preview(fixtures) {
	const draft = exampleAnswers();
	const rows = count => Array.from({length: count}, (_, index) => prose(120, index + 7).replace(/\n/g, ' '));
	draft.cap.rationale = prose(40 * 1024, 3);
	draft.cap.behavior = rows(150);
	draft.cap.tradeoffs = rows(150);
	draft.cap.implications = rows(150);
	const size = Buffer.byteLength(JSON.stringify(draft));
	const textFile = path.join(freshDir('preview'), 'text.txt');
	writeFileSync(textFile, prose(size, 5));
	const repo = freshRepo('preview');
	const perRound = 25;
	const rounds = 2;
	// The first CAP field, a short multi-line one, is focused; the preview shows the whole step.
	const appRun = () => {
		const out = terminal({
			argv: app('resume', '--data-dir', draftDir(draft, 1, 0)),
			cwd: repo,
			cols: 140,
			rows: 40,
			steps: [
				{op: 'expect', text: 'Step 2 of 5'},
				{op: 'quiet', ms: 300},
				{op: 'keys', text: CTRL_O, count: 1, gap: 50, settle: 30, mark: 'open'},
				{op: 'keys', text: typed, count: perRound, gap: 50, settle: 10, mark: 'typing'},
				{op: 'send', data: CTRL_C},
				{op: 'eof'},
			],
		});
		return [...out.keys.open.last, ...out.keys.typing.last];
	};

	const fieldRun = () =>
		terminal({
			argv: ['node', path.join(fixtures, 'one-field.js'), textFile],
			cwd: repo,
			cols: 140,
			rows: 40,
			steps: [
				{op: 'expect', text: 'one field'},
				{op: 'quiet', ms: 300},
				{op: 'keys', text: typed, count: perRound + 1, gap: 50, settle: 10, mark: 'typing'},
				{op: 'send', data: CTRL_C},
				{op: 'eof'},
			],
		}).keys.typing.last;

	const appTimes = [];
	const fieldTimes = [];
	for (let round = 0; round < rounds; round++) {
		appTimes.push(...appRun());
		fieldTimes.push(...fieldRun());
	}

	const longest = Math.max(...appTimes);
	const longestField = Math.max(...fieldTimes);
	report(
		'preview',
		`${(size / 1024).toFixed(0)} KB design: longest key-to-frame with the preview open ${ms(longest)} (p50 ${ms(median(appTimes))}, ${appTimes.length} keys incl. ^O) | one-field Ink app with as much text ${ms(longestField)}`,
		longest / longestField,
		'longest ≤ 50 ms',
		longest <= 50,
	);
}

/** Peak resident memory of a short session, against an Ink app that shows one line. */
function memory(fixtures) {
	const repo = freshRepo('memory');
	const type = text => ({op: 'keys', text, count: [...text].length, gap: 5, settle: 5});
	const appRun = () =>
		terminal({
			argv: app('--data-dir', freshDir('data')),
			cwd: repo,
			cols: 140,
			rows: 40,
			steps: [
				{op: 'expect', text: 'Start: name the system'},
				type('Collaborative Document Editor'),
				{op: 'send', data: CTRL_N},
				{op: 'expect', text: 'Step 1 of 5'},
				type('Real-time collaborative editing'),
				{op: 'send', data: TAB},
				type('multiple users edit the same document'),
				{op: 'send', data: CTRL_O},
				{op: 'expect', text: 'PgUp/PgDn · '},
				{op: 'quiet', ms: 300},
				{op: 'memory', mark: 'peak'},
				{op: 'send', data: CTRL_C},
				{op: 'eof'},
			],
		}).memory.peak.VmHWM;
	const helloRun = () =>
		terminal({
			argv: ['node', path.join(fixtures, 'hello.js')],
			cwd: repo,
			steps: [
				{op: 'expect', text: 'hello from Ink'},
				{op: 'quiet', ms: 300},
				{op: 'memory', mark: 'peak'},
				{op: 'send', data: 'q'},
				{op: 'eof'},
			],
		}).memory.peak.VmHWM;

	const appPeaks = [];
	const helloPeaks = [];
	const count = Math.max(3, Math.ceil(runs / 3));
	for (let run = 0; run < count; run++) {
		appPeaks.push(appRun());
		helloPeaks.push(helloRun());
	}

	const ratio = median(appPeaks) / median(helloPeaks);
	report(
		'memory',
		`peak RSS (VmHWM) of a session: start, two fields, preview, quit ${mib(median(appPeaks))} | Ink hello ${mib(median(helloPeaks))} (medians of ${count})`,
		ratio,
		'≤ 1.50',
		ratio <= 1.5,
	);
}

// ---------------------------------------------------------------------------------------

const cpu = /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
console.log(`engram-design bench · ${os.availableParallelism?.() ?? os.cpus().length} CPUs (${cpu}) · Node ${process.version} · ${os.platform()} ${os.release()}`);

const fixtures = path.join(work, 'fixtures');
await bundle({
	entryPoints: {hello: path.join(benchDir, 'hello.tsx'), 'one-field': path.join(benchDir, 'one-field.tsx')},
	outdir: fixtures,
});

const selected = wanted.length > 0 ? wanted : figureNames;
for (const name of selected) {
	if (name === 'startup') startup();
	if (name === 'typing') typing(fixtures);
	if (name === 'commit') await commit();
	if (name === 'preview') preview(fixtures);
	if (name === 'memory') memory(fixtures);
}

const failed = lines.filter(item => !item.pass).length;
console.log(failed === 0 ? `all ${lines.length} figures pass` : `${failed} of ${lines.length} figures miss their target`);
