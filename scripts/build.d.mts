// Types of what scripts/build.mjs exports, for the tests that check its dependency patches.
/** Ranges of characters each of which is a grapheme of its own beside any other of them. */
export const ONE_GRAPHEME_RANGES: [number, number][];
export function lazySegmenters(source: string): string;
export function plainerStringWidth(source: string): string | undefined;
export function plainerTokenize(source: string): string | undefined;
export function bundle(options: {
	entryPoints: Record<string, string>;
	outdir: string;
	metafile?: boolean;
}): Promise<unknown>;
export function addShebang(file: string): Promise<void>;
