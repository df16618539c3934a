// The sizes an answer may have, apart from the schemas so that screens can use them
// without loading zod.

/** Longest value of a one-line field, in characters. */
export const LINE_LIMIT = 500;
/** Longest value of a multi-line field, in characters. */
export const TEXT_LIMIT = 100_000;
/** Most rows a list may hold. */
export const LIST_LIMIT = 200;
