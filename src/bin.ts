import {main} from './cli.js';

// A reader that stops early (`apply … | head -1`) closes the pipe: what is left to print has
// nowhere to go, but the command itself (a commit, say) goes on to its end.
for (const stream of [process.stdout, process.stderr]) {
	stream.on('error', (error: NodeJS.ErrnoException) => {
		if (error.code !== 'EPIPE') throw error;
	});
}

const code = await main(process.argv.slice(2), {
	stdout: process.stdout,
	stderr: process.stderr,
	env: process.env,
	cwd: process.cwd(),
});
process.exitCode = code;
