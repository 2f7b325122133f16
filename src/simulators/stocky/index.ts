export type { StockyMode, StockySimulator, StockySimulatorOptions } from './stocky-simulator.ts';
export { startStockySimulator } from './stocky-simulator.ts';
