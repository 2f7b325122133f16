/**
 * A shop's integration as setup, sync, the scheduler, status and the API all see it: the setup answers and options
 * (integrations), when it runs (schedule), each sync run with its lease (sync runs), and what each sync posted
 * (posted documents). It sits below those folders so none of them needs another to read this state.
 */
export * from './hand-entries.ts';
export * from './integrations.ts';
export * from './posted-documents.ts';
export * from './schedule.ts';
export * from './sync-run-lease.ts';
export * from './sync-runs.ts';
