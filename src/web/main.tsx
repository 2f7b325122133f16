/**
 * The admin app's entry, kept small: it asks for the first screen's data at once (`prefetch.ts`), then loads the
 * app itself (React, Polaris, the screens: most of the script) as a chunk of its own. Evaluating that chunk is one
 * long task on a slow machine; with the data asked for first, the answers — and the setup call that needs the
 * shops' answer — arrive while it runs instead of after it.
 */
import './prefetch.ts';
// The stylesheet stays in the page's <head>, loaded in parallel with the scripts.
import '@shopify/polaris/build/esm/styles.css';

void import('./root.tsx');
