/** The line task-api writes to stderr just before the preload kills it. */
export declare const KILLED_LINE: string;
