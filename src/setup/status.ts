/** Where the setup stands: each step, done or not, and the gate that keeps the steps in order. */

import { readCompanySnapshot } from '../apply/index.ts';
import { ok, type Result } from '../errors/index.ts';
import type { Integration } from '../integration/index.ts';
import { listEntries } from '../outbox/index.ts';
import type { CompanyFile, Shop } from '../storage/index.ts';
import { snapshotFacts } from './company-lists.ts';
import { refuse, type SetupContext } from './context.ts';
import { companyFileOf, shopOf } from './shop.ts';
import { outOfOrder, SETUP_STEPS, type SetupStep, STEP_TITLES as TITLES } from './steps.ts';

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

/**
 * The shop at the options step (its earlier steps done): its status, and the company file's snapshot as read by
 * the last Web Connector session — what proposing, saving and projecting the options all start from.
 */
export async function atOptionsStep(ctx: SetupContext, domain: string) {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const { shop, integration } = found.value;
  const status = await computeStatus(ctx, shop, integration);
  const gated = gate(status, 'options');
  if (!gated.ok) return gated;
  const companyFile = status.companyFile!;
  const { part } = await snapshotFacts(ctx, companyFile.id);
  return ok({ shop, integration, status, companyFile, part });
}

export async function statusOf(ctx: SetupContext, domain: string): Promise<Result<SetupStatus>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  return ok(await computeStatus(ctx, found.value.shop, found.value.integration));
}
