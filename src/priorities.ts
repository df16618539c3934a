/** The priorities a new task may have, as Engram names them. */
export const taskPriorities = ['low', 'medium', 'high', 'critical'] as const;
