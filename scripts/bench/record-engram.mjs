#!/usr/bin/env node
// Stands in front of the fake engram for one untimed run of the commit benchmark: records
// each call's arguments and the contents of the files it names (`--<flag>-file=PATH`, gone
// once the call ends), so that the same calls can later be replayed bare. Then runs the
// fake with the same arguments and passes its output and exit code on.
// BENCH_ENGRAM names the program to run, BENCH_RECORD the JSON-lines file to append to.
import {spawnSync} from 'node:child_process';
import {appendFileSync, readFileSync} from 'node:fs';

const args = process.argv.slice(2);
const files = {};
for (const arg of args) {
	const match = /^--[a-z-]+-file=(.+)$/.exec(arg);
	if (match) files[match[1]] = readFileSync(match[1], 'utf8');
}

appendFileSync(process.env.BENCH_RECORD, `${JSON.stringify({args, files})}\n`);
const result = spawnSync(process.env.BENCH_ENGRAM, args, {stdio: 'inherit'});
process.exitCode = result.status ?? 1;
