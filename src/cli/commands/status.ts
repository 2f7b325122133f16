import { listBlocked, listEntries, type OutboxProgress, progress, retryEntry } from '../../outbox/index.ts';
import type { Storage } from '../../storage/index.ts';
import type { SyncRun } from '../../sync/runs.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { findShop, parseFlags, printError, shopFlag, withContext } from './connector-context.ts';
import { describeRun, printSetupStatus } from './setup.ts';

const help = `Usage: qbd-connector status --shop D [--json]
       qbd-connector status --shop D retry ID
       qbd-connector status --shop D retry --all

Shows the integration: its setup steps, the recent syncs, how many documents are planned, in QuickBooks, on
their way, failed or waiting for you, and the list of documents that need you — each with the reason in plain
words and what to do. After fixing the cause (in QuickBooks, or the mapping), \`retry ID\` sends that document
again at the next Web Connector session; \`retry --all\` retries every one in the list.

  --shop DOMAIN   the shop (default: SHOPIFY_SHOP)
  --json          print everything as one JSON object (for scripts)

Exit code: 0 when nothing needs attention, 1 when something does (or the shop is unknown).`;

export interface AttentionItem {
  id: number;
  what: string;
  key: string;
  state: string;
  reason: string;
  code: string | null;
  quickbooksStatusCode: number | null;
  since: string;
}

/** The documents only the merchant can move on (the same list as the JSON API's /attention). */
export async function attentionList(storage: Storage, companyFileId: string): Promise<AttentionItem[]> {
  const entries = await listEntries(storage, companyFileId, { states: ['needs_attention', 'failed'] });
  return entries.map((entry) => ({
    id: entry.id,
    what: entry.kind,
    key: entry.key,
    state: entry.state,
    reason: entry.lastError?.merchantMessage ?? 'QuickBooks did not accept this document.',
    code: entry.lastError?.code ?? null,
    quickbooksStatusCode: entry.lastError?.qbStatusCode ?? null,
    since: entry.updatedAt.toISOString(),
  }));
}

/** "sent" counts every document handed to QuickBooks at least once: in flight or answered. */
export function sentCount(outbox: OutboxProgress): number {
  return outbox.inFlight + outbox.applied + outbox.failed + outbox.needsAttention;
}

export function countsLine(outbox: OutboxProgress): string {
  return `${outbox.planned} planned, ${sentCount(outbox)} sent, ${outbox.applied} applied, ${outbox.failed} failed, ${outbox.needsAttention} need attention`;
}

function runLine(run: SyncRun): string {
  const when = run.startedAt.toISOString().replace('T', ' ').slice(0, 16);
  return `  ${when} UTC  ${describeRun(run)}`;
}

async function retry(
  io: CliIo,
  storage: Storage,
  shopId: string,
  companyFileId: string,
  target: string | 'all',
): Promise<number> {
  const items = await attentionList(storage, companyFileId);
  const chosen = target === 'all' ? items : items.filter((item) => String(item.id) === target);
  if (target !== 'all' && chosen.length === 0) {
    writeLine(
      io.stderr,
      `Nothing to retry with id ${target}: run \`${cliName(io)} status\` to see the list. [ENTRY_UNKNOWN]`,
    );
    return 1;
  }
  if (chosen.length === 0) {
    writeLine(io.stdout, 'Nothing needs attention: nothing to retry.');
    return 0;
  }
  let failures = 0;
  for (const item of chosen) {
    const retried = await retryEntry(storage, item.id, { actor: 'merchant', shopId, now: new Date() });
    if (retried.ok)
      writeLine(io.stdout, `Will retry ${item.id} (${item.what} ${item.key}) at the next Web Connector session.`);
    else {
      failures++;
      printError(io, retried.error);
    }
  }
  return failures === 0 ? 0 : 1;
}

export const command: CliCommand = {
  name: 'status',
  summary: 'Show the integration, recent syncs and what needs attention.',
  help,
  async run(args, io) {
    const parsed = parseFlags(
      io,
      args,
      { shop: { type: 'string' }, json: { type: 'boolean' }, all: { type: 'boolean' } },
      help,
      true,
    );
    if (!parsed.ok) return parsed.code;
    const domain = shopFlag(io, parsed.values, help);
    if (!domain) return 2;
    const [action, id, ...extra] = parsed.positionals;
    if (action !== undefined && action !== 'retry') {
      writeLine(io.stderr, `Unknown action "${action}".\n\n${help}`);
      return 2;
    }
    const all = parsed.values.all === true;
    if (
      action === 'retry' &&
      (extra.length > 0 || (id === undefined) === !all || (id !== undefined && !/^\d+$/.test(id)))
    ) {
      writeLine(io.stderr, `Give one document id to retry, or --all.\n\n${help}`);
      return 2;
    }
    if (action === undefined && (all || id !== undefined)) {
      writeLine(io.stderr, `--all goes with retry.\n\n${help}`);
      return 2;
    }
    return withContext(io, async (context) => {
      const shop = await findShop(io, context, domain);
      if (!shop) return 1;
      const status = await context.setup.status(domain);
      if (!status.ok) {
        printError(io, status.error);
        return 1;
      }
      const companyFile = status.value.companyFile;
      if (action === 'retry') {
        if (!companyFile) {
          writeLine(io.stderr, 'Nothing has been sent to QuickBooks yet: nothing to retry.');
          return 1;
        }
        return retry(io, context.storage, shop.id, companyFile.id, all ? 'all' : id!);
      }
      const runs = await context.sync.history(shop.id, 5);
      // Reading a run's progress settles it when its documents are all answered, so the list is current.
      const current = await Promise.all(runs.map(async (run) => (await context.sync.progress(run.id))?.run ?? run));
      const outbox = companyFile ? await progress(context.storage, companyFile.id) : null;
      const attention = companyFile ? await attentionList(context.storage, companyFile.id) : [];
      const blocked = companyFile ? await listBlocked(context.storage, companyFile.id) : [];
      if (parsed.values.json === true) {
        writeLine(
          io.stdout,
          JSON.stringify(
            {
              shop: { domain: shop.domain, name: shop.name },
              setup: { state: status.value.integration.state, steps: status.value.steps, next: status.value.next },
              companyFile: companyFile?.boundCompany ?? null,
              syncRuns: current,
              outbox,
              attention,
              waitingOnAttention: blocked.length,
            },
            null,
            2,
          ),
        );
        return attention.length === 0 ? 0 : 1;
      }
      printSetupStatus(io, status.value);
      writeLine(io.stdout);
      writeLine(io.stdout, runs.length === 0 ? 'No syncs yet.' : 'Recent syncs:');
      for (const run of current) writeLine(io.stdout, runLine(run));
      if (outbox) {
        writeLine(io.stdout);
        writeLine(io.stdout, `Documents: ${countsLine(outbox)}; ${outbox.remaining} still to deliver.`);
      }
      writeLine(io.stdout);
      if (attention.length === 0) {
        writeLine(io.stdout, 'Nothing needs your attention.');
        return 0;
      }
      writeLine(io.stdout, `${attention.length} document(s) need your attention:`);
      for (const item of attention) {
        writeLine(io.stdout, `  [${item.id}] ${item.what} ${item.key}`);
        writeLine(io.stdout, `        ${item.reason}${item.code ? ` [${item.code}]` : ''}`);
      }
      if (blocked.length > 0) writeLine(io.stdout, `${blocked.length} more document(s) wait for these.`);
      writeLine(
        io.stdout,
        `After fixing the cause: ${cliName(io)} status --shop ${shop.domain} retry ID (or retry --all).`,
      );
      return 1;
    });
  },
};
