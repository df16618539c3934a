import {expect, test} from 'vitest';
import {formatKey, formatPath} from '../../src/issues.js';

test('paths are written as a reader writes them, list indexes in brackets', () => {
	expect(formatPath(['architecture', 'connections', 2, 'to'])).toBe(
		'architecture.connections[2].to',
	);
	expect(formatPath([0, 'name'])).toBe('[0].name');
	expect(formatPath([])).toBe('');
});

test("a draft's dotted key reads the same as the path it stands for", () => {
	expect(formatKey('architecture.connections.2.to')).toBe('architecture.connections[2].to');
	expect(formatKey('cap.rationale')).toBe('cap.rationale');
	expect(formatKey('requirements.functional.10')).toBe('requirements.functional[10]');
});
