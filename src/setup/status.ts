/** Where the setup stands: each step, done or not, and the gate that keeps the steps in order. */

import { readCompanySnapshot } from '../apply/company-snapshot.ts';
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { listEntries } from '../outbox/index.ts';
import type { CompanyFile, Shop } from '../storage/index.ts';
import { snapshotFacts } from './company-lists.ts';
import { refuse, type SetupContext } from './context.ts';
import type { Integration } from './integrations.ts';
import { companyFileOf, shopOf } from './shop.ts';

/**
 * The integration setup, as the help page walks the merchant through it, in the order the Web Connector makes
 * possible: QuickBooks can only be read once the Web Connector has the app token, so the token comes first and
 * the sales tax check reads the company file through the first Web Connector session.
 *
 *   1. appToken   — generate the token (shown once) and the .qwc file
 *   2. connect    — the Web Connector authenticates; the company file is bound and its lists are read
 *   3. salesTax   — sales tax on, most common sales tax item at 0 % (or the merchant fixes it in QuickBooks)
 *   4. options    — account mapping, schedule, Summary/Detailed modes, purchase-order source, start date
 *   5. start      — once; a second start is refused (reset is a support operation)
 *
 * Every step checks the ones before it and answers with a plain message; a failed step changes nothing.
 */
export const SETUP_STEPS = ['appToken', 'connect', 'salesTax', 'options', 'start'] as const;

export type SetupStep = (typeof SETUP_STEPS)[number];

export interface StepStatus {
  step: SetupStep;
  title: string;
  done: boolean;
  detail: string;
}

export interface SetupStatus {
  shop: Shop;
  integration: Integration;
  companyFile: CompanyFile | null;
  steps: StepStatus[];
  /** The first step not done, or null once started. */
  next: SetupStep | null;
  /** Things the merchant should know that stop no step (another QuickBooks edition since the file was bound). */
  warnings: string[];
}

const TITLES: Record<SetupStep, string> = {
  appToken: 'App token and Web Connector file',
  connect: 'Connect the QuickBooks company file',
  salesTax: 'Sales tax settings',
  options: 'Account mapping and options',
  start: 'Start integration',
};

export async function computeStatus(ctx: SetupContext, shop: Shop, integration: Integration): Promise<SetupStatus> {
  const companyFile = await companyFileOf(ctx, integration);
  const bound = companyFile?.boundCompany ?? null;
  const readsDone = companyFile ? await readsComplete(ctx, companyFile.id, integration.readGeneration) : false;
  const steps: StepStatus[] = [
    {
      step: 'appToken',
      title: TITLES.appToken,
      done: companyFile !== null,
      detail: companyFile
        ? `Web Connector user name ${companyFile.webConnectorUserName}. Add the .qwc file to the Web Connector and type the app token as its password.`
        : 'Generate the app token and download the .qwc file.',
    },
    {
      step: 'connect',
      title: TITLES.connect,
      done: bound !== null && readsDone,
      detail: bound
        ? `${bound.companyName} — ${bound.edition} ${bound.version}${readsDone ? '' : ' (reading its lists: run the Web Connector once more)'}`
        : 'Open QuickBooks with the company file, then press “Update Selected” in the Web Connector.',
    },
    {
      step: 'salesTax',
      title: TITLES.salesTax,
      done: integration.taxCheck?.result.status === 'pass',
      detail:
        integration.taxCheck === null
          ? 'Not checked yet.'
          : integration.taxCheck.result.status === 'pass'
            ? `Sales tax is on and the most common sales tax item is “${integration.taxCheck.result.mostCommonItem}” (0 %).`
            : integration.taxCheck.result.problems.map((p) => p.message).join(' '),
    },
    {
      step: 'options',
      title: TITLES.options,
      done: integration.state === 'configured' || integration.state === 'started',
      detail: integration.options
        ? `Customers ${integration.options.modes.customers}, inventory ${integration.options.modes.inventory}, vendors ${integration.options.modes.vendors}; sync ${integration.options.schedule.kind === 'daily' ? `daily at ${integration.options.schedule.localTime}` : 'manually'}; ${integration.options.startDate ? `history from ${integration.options.startDate}` : 'start date not chosen yet'}.`
        : 'Map Shopify categories to QuickBooks accounts and choose the options.',
    },
    {
      step: 'start',
      title: TITLES.start,
      done: integration.state === 'started',
      detail: integration.startedAt ? `Started ${integration.startedAt.toISOString()}.` : 'Not started.',
    },
  ];
  const warnings: string[] = [];
  if (companyFile && bound) {
    // The Web Connector reports the product at every session (HostQuery): a file of the same name opened in
    // another edition is an upgrade — or another copy of the books, which the name alone cannot tell apart.
    const { host } = await readCompanySnapshot(ctx.storage, companyFile.id);
    const product = typeof host?.ProductName === 'string' ? host.ProductName : null;
    if (product && bound.edition && product !== bound.edition) {
      warnings.push(
        `The Web Connector last connected to “${bound.companyName}” in ${product}, but it was set up with ${bound.edition}. If QuickBooks was upgraded, nothing needs doing; if that is another copy of the company file, stop the Web Connector: documents go to whichever copy is open.`,
      );
    }
  }
  return { shop, integration, companyFile, steps, next: steps.find((s) => !s.done)?.step ?? null, warnings };
}

export async function readsComplete(ctx: SetupContext, companyFileId: string, generation: number): Promise<boolean> {
  if (generation === 0) return false;
  const { part } = await snapshotFacts(ctx, companyFileId);
  const reads = await listEntries(ctx.storage, companyFileId, { kind: 'read' });
  const current = reads.filter((e) => e.key.startsWith(`setup/read/${generation}/`));
  return current.length > 0 && current.every((e) => e.state === 'applied') && part('AccountQuery') !== null;
}

/** Step gates: the first step not done among those `step` needs. */
export function gate(status: SetupStatus, step: SetupStep): Result<void> {
  const index = SETUP_STEPS.indexOf(step);
  for (const earlier of SETUP_STEPS.slice(0, index)) {
    const s = status.steps.find((x) => x.step === earlier)!;
    if (!s.done) return outOfOrder(step, earlier);
  }
  if (status.integration.state === 'started' && step !== 'start') {
    return refuse(
      'SETUP_ALREADY_STARTED',
      'The integration has started; its settings are locked so history is never posted twice. Support can reset it (qbd-connector support reset-integration).',
    );
  }
  return ok(undefined);
}

export async function statusOf(ctx: SetupContext, domain: string): Promise<Result<SetupStatus>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  return ok(await computeStatus(ctx, found.value.shop, found.value.integration));
}

export function outOfOrder(step: SetupStep, needed: SetupStep): Result<never> {
  return err(
    new ConnectorError({
      code: 'SETUP_STEP_OUT_OF_ORDER',
      message: `Setup step ${step} needs ${needed} first`,
      merchantMessage: `Finish “${TITLES[needed]}” before “${TITLES[step]}”.`,
      merchantMustAct: true,
      details: { step, needed },
    }),
  );
}
