import {useEffect, useLayoutEffect, useRef} from 'react';
import {useStdin} from 'ink';
import {createKeyReader, type Key} from '../src/keys.js';

/** Options of `useKeyInput`. */
export type KeyInputOptions = {
	/** Listen for keys; when false the hook neither listens nor holds raw mode. @default true */
	readonly isActive?: boolean;
	/** The terminal marks pastes; see `KeyReaderOptions`. @default false */
	readonly bracketedPaste?: boolean;
};

/**
Calls `onKeys` with every key of each piece of input while active, in order.

Ink's `useInput` reduces each piece to one `(input, key)` pair, which loses keys: Ink cuts
a chunk only at ESC, so Backspace or Ctrl+A typed between letters arrives inside one
string of text; an ESC it cannot name arrives cut off (the ESC ] of a title sequence as
`]`); the markers of a bracketed paste arrive as the text `[200~` and `[201~`. This hook
reads the raw pieces Ink's stdin handler emits instead and decodes them itself, keeping
paste and control-string state from one piece to the next.
*/
export function useKeyInput(
	onKeys: (keys: readonly Key[]) => void,
	options: KeyInputOptions = {},
): void {
	const {isActive = true, bracketedPaste = false} = options;
	// `internal_eventEmitter` is the emitter Ink's own `useInput` listens on: one event per
	// key sequence or run of text, in arrival order.
	const {internal_eventEmitter: emitter, setRawMode, isRawModeSupported} = useStdin();
	const handlerRef = useRef(onKeys);

	useLayoutEffect(() => {
		handlerRef.current = onKeys;
	});

	useEffect(() => {
		if (!isActive) {
			return;
		}

		if (isRawModeSupported) {
			setRawMode(true);
		}

		const reader = createKeyReader({bracketedPaste});
		let chunkEnd: NodeJS.Immediate | undefined;

		const handleInput = (data: unknown) => {
			const keys = reader.push(typeof data === 'string' ? data : String(data));
			// A control string left open is dropped only up to the end of this chunk, so a
			// stray ESC ] can never swallow what is typed next.
			if (reader.isInSequence() && chunkEnd === undefined) {
				chunkEnd = setImmediate(() => {
					chunkEnd = undefined;
					reader.endChunk();
				});
			}

			if (keys.length > 0) {
				handlerRef.current(keys);
			}
		};

		emitter.on('input', handleInput);

		return () => {
			emitter.removeListener('input', handleInput);
			if (chunkEnd !== undefined) {
				clearImmediate(chunkEnd);
			}

			if (isRawModeSupported) {
				setRawMode(false);
			}
		};
	}, [isActive, bracketedPaste, emitter, setRawMode, isRawModeSupported]);
}
