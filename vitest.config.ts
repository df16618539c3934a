import {mkdirSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {defineConfig} from 'vitest/config';

// The code caches of the commands the tests run go here, not into the user's ~/.cache. The
// folder is made now: the CLI makes a missing cache folder only inside one of this user's.
const cacheHome = path.join(os.tmpdir(), 'engram-design-test-cache');
mkdirSync(cacheHome, {recursive: true, mode: 0o700});

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		env: {XDG_CACHE_HOME: cacheHome},
	},
});
