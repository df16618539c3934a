// Makes sure the tools the end-to-end tests drive are installed: tmux for a real terminal, git.
import {execFileSync, spawnSync} from 'node:child_process';

const missing = ['tmux', 'git'].filter(tool => spawnSync(tool, ['-V'], {stdio: 'ignore'}).error);
if (missing.length > 0) {
	const isRoot = process.getuid?.() === 0;
	const hasApt = !spawnSync('apt-get', ['--version'], {stdio: 'ignore'}).error;
	if (!hasApt) {
		console.error(`The end-to-end tests need ${missing.join(' and ')}; install them and run again.`);
		process.exit(1);
	}

	const sudo = isRoot ? [] : ['sudo'];
	console.log(`Installing ${missing.join(' and ')} for the end-to-end tests…`);
	const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), {stdio: 'inherit'});
	run(['apt-get', 'update', '-qq']);
	run(['apt-get', 'install', '-y', '-qq', ...missing]);
}
