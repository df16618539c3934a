import stringWidth from 'string-width';
import type {Architecture, Connection} from './architecture.js';

type Parts = Pick<Architecture, 'components' | 'connections'>;

/** A plain-text picture of an architecture: a box per component, then an arrow per connection. */
export function diagramText(architecture: Parts): string {
	const names = architecture.components.map(component => component.name);
	const width = Math.max(0, ...names.map(name => stringWidth(name)));
	const boxes = names.map(name => boxAround(name, width));
	const spelling = new Map(names.map(name => [name.toLowerCase(), name]));
	const arrows = architecture.connections.map(connection => arrowLine(connection, spelling));
	return [...boxes, ...(arrows.length > 0 ? ['', ...arrows] : [])].join('\n');
}

/** A name in a three-line box `width` columns wide inside. */
function boxAround(name: string, width: number): string {
	const bar = '─'.repeat(width + 2);
	const pad = ' '.repeat(width - stringWidth(name));
	return `┌${bar}┐\n│ ${name}${pad} │\n└${bar}┘`;
}

/** `From ──▶ To (label)`, with each end spelled as its component is. */
function arrowLine(connection: Connection, spelling: ReadonlyMap<string, string>): string {
	const from = spelling.get(connection.from.toLowerCase()) ?? connection.from;
	const to = spelling.get(connection.to.toLowerCase()) ?? connection.to;
	return `${from} ──▶ ${to}${connection.label ? ` (${connection.label})` : ''}`;
}
