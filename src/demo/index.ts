/** The demo: the whole product on the simulators over real HTTP, printed (`demo`) or kept running for the admin app (`demo --ui`). */

export { commonTaxRate, runDemo } from './run-demo.ts';
export { runDemoUi } from './run-demo-ui.ts';
