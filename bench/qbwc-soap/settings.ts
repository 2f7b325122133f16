/** What the Web Connector transport bench runs: its settings from the environment and the names of its cases. */
export const PAIRS_PER_SESSION = 4;
export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
export const MEASURE_MS = Number(process.env.BENCH_MS ?? 2000);
export const WARMUP_MS = 1000;
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
export const CASES = (process.env.BENCH_CASES ?? 'tiny,realistic').split(',') as CaseName[];
export const SOAP_PATH = '/qbwc';
export const USER_AGENT = 'Mozilla/4.0 (compatible; MSIE 6.0; MS Web Services Client Protocol 2.0.50727.9151)';

export type CaseName = 'tiny' | 'realistic';
export type ServerKind = 'ours' | 'baseline' | 'floor';
