/** Where the colour decision looks: the environment, the stream written to, `--no-color`. */
export type ColorInput = {
	readonly env: NodeJS.ProcessEnv;
	/** The stream written to: a terminal has `isTTY` set. */
	readonly stream: object;
	/** False when `--no-color` was given. */
	readonly flag: boolean;
};

/**
 * Whether to colour output, decided once for every command: never with `--no-color` or a
 * non-empty NO_COLOR (no-color.org); else as FORCE_COLOR says when it is set (`0` and
 * `false` turn colour off, any other value on, as chalk reads it); else only on a terminal.
 */
export function useColor({env, stream, flag}: ColorInput): boolean {
	if (!flag) return false;
	if ((env['NO_COLOR'] ?? '') !== '') return false;
	const force = env['FORCE_COLOR'];
	if (force !== undefined) return force !== '0' && force !== 'false';
	return 'isTTY' in stream && stream.isTTY === true;
}

const styles = {
	bold: [1, 22],
	dim: [2, 22],
	red: [31, 39],
	green: [32, 39],
	yellow: [33, 39],
	cyan: [36, 39],
} as const;

/** A text style `paint` can apply. */
export type Style = keyof typeof styles;

/** Text in a style when colour is on, else the text unchanged. */
export function paint(on: boolean, style: Style, text: string): string {
	if (!on || text === '') return text;
	const [open, close] = styles[style];
	return `\u001B[${open}m${text}\u001B[${close}m`;
}
