// zod, set up before any schema is made: an object schema reads `jitless` when it is built.
// Answers are checked a few times per keystroke at most and once per command, so compiling a
// fast path for every object schema on its first check costs more than it ever saves.
import {z} from 'zod';

z.config({jitless: true});

export {z};
