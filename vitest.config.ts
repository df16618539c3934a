import os from 'node:os';
import path from 'node:path';
import {defineConfig} from 'vitest/config';

export default defineConfig({
	test: {
		include: ['test/**/*.test.{ts,tsx}'],
		testTimeout: 20_000,
		hookTimeout: 60_000,
		// The code caches of the commands the tests run go here, not into the user's ~/.cache.
		env: {XDG_CACHE_HOME: path.join(os.tmpdir(), 'engram-design-test-cache')},
	},
});
