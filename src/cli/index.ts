/** The `qbd-connector` command line: the command interface the commands share and the entry point. */
export type { CliIo } from './command.ts';
export { main } from './main.ts';
