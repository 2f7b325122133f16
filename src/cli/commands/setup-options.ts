/** `setup options`: the proposal shown, the flags read into options, the options saved with what they include. */
import { localDate } from '../../domain/index.ts';
import type { Result } from '../../errors/index.ts';
import { type ListProjectionAnswer, type ModeChoice, type OptionsInput, startDateLines } from '../../setup/index.ts';
import { CATEGORIES, type Category, type ListName } from '../../transform/index.ts';
import type { CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { ProgressDisplay } from '../progress.ts';
import { type CommandContext, findShop, printServiceError } from './connector-context.ts';

function modeFlag(value: unknown, name: string, io: CliIo): ModeChoice | undefined | null {
  if (value === undefined) return undefined;
  if (value === 'summary' || value === 'detailed') return value;
  writeLine(io.stderr, `--${name} is "summary" or "detailed", not "${String(value)}".`);
  return null;
}

/** Runs `work` with a progress display on stdout (a bar on a terminal, plain lines otherwise). */
export async function watching<T>(io: CliIo, work: (onProgress: ProgressDisplay['handle']) => Promise<T>): Promise<T> {
  const display = new ProgressDisplay({ stream: io.stdout });
  try {
    return await work(display.handle);
  } finally {
    display.finish();
  }
}

export function failed(io: CliIo, result: Result<unknown>, context: CommandContext, domain: string): number {
  if (!result.ok) printServiceError(io, context, result.error, domain);
  return 1;
}

export async function showOptions(io: CliIo, context: CommandContext, domain: string, json: boolean): Promise<number> {
  const proposal = await watching(io, (onProgress) => context.setup.proposeOptions(domain, { onProgress }));
  if (!proposal.ok) return failed(io, proposal, context, domain);
  const p = proposal.value;
  if (json) {
    writeLine(io.stdout, JSON.stringify(p, null, 2));
    return 0;
  }
  const toCreate = new Set(p.accountsToCreate.map((a) => a.fullName.toLowerCase()));
  writeLine(io.stdout, 'Proposed account mapping (category → QuickBooks account):');
  const width = Math.max(...CATEGORIES.map((c) => c.length));
  for (const category of CATEGORIES) {
    const account = p.mapping[category];
    if (!account) continue;
    writeLine(
      io.stdout,
      `  ${category.padEnd(width)}  ${account}${toCreate.has(account.toLowerCase()) ? '  (to be created)' : ''}`,
    );
  }
  writeLine(io.stdout, `Accounts in QuickBooks: ${p.accounts.length}`);
  writeLine(io.stdout, `Payment methods: ${p.paymentMethods.join(', ') || '(none)'}`);
  writeLine(io.stdout, `Classes: ${p.classes.join(', ') || '(none)'}`);
  if (p.listCounts) {
    writeLine(
      io.stdout,
      `Lists in QuickBooks: ${p.listCounts.customers} customers, ${p.listCounts.vendors} vendors, ${p.listCounts.items} items.`,
    );
  }
  const projection = await context.setup.listProjection(domain, {
    customers: 'summary',
    inventory: 'summary',
    vendors: 'summary',
  });
  // The proposal stands without the numbers: a projection that cannot be made yet says why and the rest prints.
  if (projection.ok) for (const line of projectionLines(projection.value)) writeLine(io.stdout, line);
  else writeLine(io.stdout, `Detailed mode: ${projection.error.merchantMessage}`);
  const shop = await findShop(io, context, domain);
  if (!shop) return 1;
  for (const line of startDateLines(p.startDate, localDate(new Date(), shop.timeZone))) writeLine(io.stdout, line);
  return 0;
}

const LIST_NOUN: Record<ListName, { records: string; source: string }> = {
  customers: { records: 'customers', source: 'one per Shopify customer' },
  inventory: { records: 'items', source: 'one per Shopify variant' },
  vendors: { records: 'vendors', source: 'one per Shopify supplier' },
};

/**
 * The 14,500 rule in numbers, per list, as GET /setup/list-projection gives it (Detailed for that list, the others
 * Summary): a one-line verdict when Detailed fits, and the projection against the limit when it would not, so the
 * operator sees why `--customers detailed` would be refused before trying it.
 */
export function projectionLines(answer: ListProjectionAnswer): string[] {
  const n = (value: number) => value.toLocaleString('en-US');
  const edition = answer.edition === 'pro' ? 'QuickBooks Pro' : 'QuickBooks Premier';
  if (answer.limits === null)
    return ['Detailed mode: QuickBooks Enterprise has no list limits; Detailed fits every list.'];
  const lines = ['Detailed mode against the 14,500 rule (each list Detailed, the others Summary):'];
  for (const list of ['customers', 'inventory', 'vendors'] as const) {
    const v = answer.lists[list];
    const noun = LIST_NOUN[list];
    if (v.allowed) {
      lines.push(`  ${list.padEnd(9)}  Detailed fits: ${n(v.projected)} ${noun.records} after the first sync.`);
      continue;
    }
    const total =
      v.projectedNames === null
        ? `QuickBooks would hold ${n(v.projected)} items; ${edition} holds at most ${n(v.limit!)}.`
        : `QuickBooks would hold ${n(v.projected)} ${noun.records} and ${n(v.projectedNames)} names in all; ${edition} holds at most ${n(v.limit!)} names, ${n(v.listLimit!)} in any one list.`;
    lines.push(
      `  ${list.padEnd(9)}  Detailed does not fit: it creates ${n(v.creates)} ${noun.records} (${noun.source}). ${total} Keep --${list} summary.`,
    );
  }
  return lines;
}

/** One problem a line; a problem's own list (“fix the account mapping:” then “• …” lines) indented under it. */
export function problemLines(message: string): string[] {
  return message
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const item = /^\s*[•*-]\s+(.*)$/.exec(line);
      return item ? `      - ${item[1]}` : `  - ${line}`;
    });
}

export function optionsInput(io: CliIo, values: Record<string, unknown>): OptionsInput | null {
  const all = modeFlag(values.mode, 'mode', io);
  const customers = modeFlag(values.customers, 'customers', io);
  const inventory = modeFlag(values.inventory, 'inventory', io);
  const vendors = modeFlag(values.vendors, 'vendors', io);
  if (all === null || customers === null || inventory === null || vendors === null) return null;
  const mapping: Partial<Record<Category, string>> = {};
  for (const pair of (values.map as string[] | undefined) ?? []) {
    const at = pair.indexOf('=');
    const category = pair.slice(0, at).trim();
    const account = pair.slice(at + 1).trim();
    if (at < 1 || !account || !(CATEGORIES as readonly string[]).includes(category)) {
      writeLine(
        io.stderr,
        `--map takes category=Account name, with a category among: ${CATEGORIES.join(', ')}; got "${pair}".`,
      );
      return null;
    }
    mapping[category as Category] = account;
  }
  const input: OptionsInput = {
    modes: {
      customers: customers ?? all ?? 'summary',
      inventory: inventory ?? all ?? 'summary',
      vendors: vendors ?? all ?? 'summary',
    },
    mapping,
    createMissingAccounts: values['no-create-accounts'] !== true,
    useClasses: values['no-classes'] !== true,
  };
  if (values.schedule !== undefined) input.schedule = values.schedule as string;
  if (values['start-date'] !== undefined) input.startDate = values['start-date'] as string;
  if (values['stocky-key'] !== undefined) {
    input.purchaseOrderSource = { kind: 'stocky', apiKey: values['stocky-key'] as string };
  }
  return input;
}

export async function saveOptions(io: CliIo, context: CommandContext, domain: string, input: OptionsInput) {
  const saved = await context.setup.saveOptions(domain, input);
  if (!saved.ok) {
    if (saved.error.code === 'SETUP_OPTIONS_INVALID') {
      writeLine(io.stderr, 'The options were not saved:');
      for (const line of problemLines(saved.error.merchantMessage)) writeLine(io.stderr, line);
      return 1;
    }
    return failed(io, saved, context, domain);
  }
  const o = saved.value;
  writeLine(
    io.stdout,
    `Options saved: customers ${o.modes.customers}, inventory ${o.modes.inventory}, vendors ${o.modes.vendors}; sync ${o.schedule.kind === 'daily' ? `daily at ${o.schedule.localTime} (shop time)` : 'manually'}; purchase orders from ${o.purchaseOrderSource.kind === 'stocky' ? 'Stocky' : 'Shopify'}.`,
  );
  writeLine(
    io.stdout,
    `${Object.keys(o.mapping).length} categories mapped; ${o.accountsToCreate.length} account(s) will be created in QuickBooks: ${o.accountsToCreate.map((a) => a.fullName).join(', ') || 'none'}.`,
  );
  const counts = await watching(io, (onProgress) => context.setup.startDateCounts(domain, { onProgress }));
  if (!counts.ok) return failed(io, counts, context, domain);
  const shop = await findShop(io, context, domain);
  if (!shop) return 1;
  for (const line of startDateLines(counts.value, localDate(new Date(), shop.timeZone))) writeLine(io.stdout, line);
  writeLine(
    io.stdout,
    o.startDate === null
      ? `Next: choose the start date: ${cliName(io)} setup options --shop ${domain} --start-date YYYY-MM-DD`
      : `Next: ${cliName(io)} setup start --shop ${domain}`,
  );
  return 0;
}
