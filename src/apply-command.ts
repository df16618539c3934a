import {runApply, type Io} from './apply.js';
import type {Options} from './options.js';
import {report} from './report.js';

/**
 * `engram-design apply FILE` (not a dry run) with its errors reported: the build runs it as
 * scripts of their own (see loadApplyCommand in cli.ts), whose error classes are not the ones
 * the rest of the command line knows, so they are told apart here, on this side.
 */
export async function applyCommand(file: string, options: Options, io: Io): Promise<number> {
	try {
		return await runApply(file, options, io);
	} catch (error) {
		return report(error, io);
	}
}
