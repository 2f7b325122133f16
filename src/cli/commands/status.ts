import { listAttention, markEnteredInQuickBooks, retryAttention } from '../../attention/index.ts';
import { documentCounts, listDocuments, parseDocumentQuery } from '../../documents/index.ts';
import { listHandEntries, type SyncRun } from '../../integration/index.ts';
import { listBlocked, type OutboxProgress, progress } from '../../outbox/index.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { type CommandContext, findShop, parseFlags, printError, shopFlag, withContext } from './connector-context.ts';
import { documentPageLines, documentsTable, warningLines } from './status-documents.ts';

/** How many documents the plain `status` shows. */
const RECENT_DOCUMENTS = 10;

import { describeRun, printSetupStatus } from './setup.ts';

const help = `Usage: qbd-connector status --shop D [--json]
       qbd-connector status --shop D --documents [--state S] [--kind K] [--from DATE] [--to DATE]
                            [--limit N] [--cursor C] [--json]
       qbd-connector status --shop D retry ID
       qbd-connector status --shop D retry --all
       qbd-connector status --shop D entered-in-quickbooks ID [--by NAME] [--note TEXT]

Shows the integration: its setup steps, the recent syncs and their warnings, how many documents are planned, in
QuickBooks, on their way, failed or waiting for you, the most recent documents (kind, Shopify order, QuickBooks
reference, amount, state), and everything that needs you — documents QuickBooks refused, could not confirm or
never received, a failed or stopped sync, a Web Connector lockout or a session that ended with a problem — each
with the reason in plain words and what to do. After fixing the cause (in QuickBooks, or the mapping), \`retry ID\`
sends that document again at the next Web Connector session (\`retry sync-run:N\` starts the failed sync again);
\`retry --all\` retries every retryable item in the list. An item the connector cannot post (a refund whose amounts
fit no reading) is entered in QuickBooks by hand; \`entered-in-quickbooks ID\` then records that you did (who:
--by, and a --note for the accountant): the connector never posts it, stops listing it, and the reconciliation
expects it in QuickBooks; status lists what was entered by hand, by whom and when.

  --shop DOMAIN   the shop (default: SHOPIFY_SHOP)
  --json          print everything as one JSON object (for scripts)
  --documents     page through every document, newest date first (the JSON API's /documents); filters:
    --state S     attention | in_quickbooks | on_the_way | waiting, or one state (applied, pending, failed, …)
    --kind K      the QuickBooks message, e.g. SalesReceiptAdd, DepositAdd, InvoiceAdd
    --from DATE, --to DATE   the document's own date, YYYY-MM-DD
    --limit N     documents per page (default 50, at most 200)
    --cursor C    the next page, as the previous page printed it

Exit code: 0 when nothing needs attention, 1 when something does (or the shop is unknown).

The database: --data-dir DIR (DATA_DIR) or --database-url URL (DATABASE_URL); the same as \`qbd-connector serve\`.`;

/** "sent" counts every document handed to QuickBooks at least once: in flight or answered. */
export function sentCount(outbox: Pick<OutboxProgress, 'inFlight' | 'applied' | 'failed' | 'needsAttention'>): number {
  return outbox.inFlight + outbox.applied + outbox.failed + outbox.needsAttention;
}

export function countsLine(
  outbox: Pick<OutboxProgress, 'planned' | 'inFlight' | 'applied' | 'failed' | 'needsAttention'>,
): string {
  return `${outbox.planned} planned, ${sentCount(outbox)} sent, ${outbox.applied} applied, ${outbox.failed} failed, ${outbox.needsAttention} need attention`;
}

function runLine(run: SyncRun): string {
  const when = run.startedAt.toISOString().replace('T', ' ').slice(0, 16);
  return `  ${when} UTC  ${describeRun(run)}`;
}

async function retry(
  io: CliIo,
  context: CommandContext,
  shopId: string,
  companyFileId: string | null,
  target: string | 'all',
): Promise<number> {
  const now = new Date();
  const listed = await listAttention(context.storage, { shopId, companyFileId, now });
  const items = listed.filter((i) => i.retryable);
  const chosen = target === 'all' ? items : items.filter((item) => String(item.id) === target);
  if (target !== 'all' && chosen.length === 0) {
    writeLine(
      io.stderr,
      `Nothing to retry with id ${target}: run \`${cliName(io)} status\` to see the list. [ENTRY_UNKNOWN]`,
    );
    return 1;
  }
  if (chosen.length === 0) {
    if (listed.length === 0) {
      writeLine(io.stdout, 'Nothing needs attention: nothing to retry.');
      return 0;
    }
    writeLine(
      io.stdout,
      `Nothing to retry, but ${listed.length} item(s) need something else: run \`${cliName(io)} status\` to see what.`,
    );
    return 1;
  }
  let failures = 0;
  for (const item of chosen) {
    const retried = await retryAttention(context.storage, {
      shopId,
      companyFileId,
      now,
      id: String(item.id),
      actor: 'merchant',
      startSync: () => context.sync.run(shopId, 'manual'),
    });
    if (!retried.ok) {
      failures++;
      printError(io, retried.error);
    } else if (retried.value.type === 'sync') writeLine(io.stdout, describeRun(retried.value.run));
    else writeLine(io.stdout, `Will retry ${item.id} (${item.what} ${item.key}) at the next Web Connector session.`);
  }
  return failures === 0 ? 0 : 1;
}

async function enteredInQuickBooks(
  io: CliIo,
  context: CommandContext,
  shopId: string,
  companyFileId: string | null,
  id: string,
  said: { by?: string; note?: string },
): Promise<number> {
  const entered = await markEnteredInQuickBooks(context.storage, {
    shopId,
    companyFileId,
    now: new Date(),
    id,
    actor: 'merchant',
    enteredBy: said.by ?? null,
    note: said.note ?? null,
  });
  if (!entered.ok) {
    printError(io, entered.error);
    return 1;
  }
  const who = entered.value.enteredBy ? ` by ${entered.value.enteredBy}` : '';
  writeLine(
    io.stdout,
    `Recorded: ${entered.value.subject} was entered in QuickBooks by hand${who} (${entered.value.enteredAt.toISOString()}). The connector will not post it, and the reconciliation expects it in QuickBooks.`,
  );
  return 0;
}

export const command: CliCommand = {
  name: 'status',
  summary: 'Show the integration, recent syncs and what needs attention.',
  help,
  async run(args, io) {
    const parsed = parseFlags(
      io,
      args,
      {
        shop: { type: 'string' },
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        documents: { type: 'boolean' },
        state: { type: 'string' },
        kind: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        limit: { type: 'string' },
        cursor: { type: 'string' },
        by: { type: 'string' },
        note: { type: 'string' },
      },
      help,
      true,
    );
    if (!parsed.ok) return parsed.code;
    const domain = shopFlag(io, parsed.values, help);
    if (!domain) return 2;
    const [action, id, ...extra] = parsed.positionals;
    if (action !== undefined && action !== 'retry' && action !== 'entered-in-quickbooks') {
      writeLine(io.stderr, `Unknown action "${action}".\n\n${help}`);
      return 2;
    }
    const all = parsed.values.all === true;
    if (
      action === 'retry' &&
      (extra.length > 0 || (id === undefined) === !all || (id !== undefined && !/^(\d+|sync-run:\d+)$/.test(id)))
    ) {
      writeLine(io.stderr, `Give one document id to retry, or --all.\n\n${help}`);
      return 2;
    }
    if (action === 'entered-in-quickbooks' && (id === undefined || extra.length > 0 || all)) {
      writeLine(io.stderr, `Give the id of the one item you entered in QuickBooks.\n\n${help}`);
      return 2;
    }
    const said = { by: parsed.values.by as string | undefined, note: parsed.values.note as string | undefined };
    if (action !== 'entered-in-quickbooks' && (said.by !== undefined || said.note !== undefined)) {
      writeLine(io.stderr, `--by and --note go with entered-in-quickbooks.\n\n${help}`);
      return 2;
    }
    if (action === undefined && (all || id !== undefined)) {
      writeLine(io.stderr, `--all goes with retry.\n\n${help}`);
      return 2;
    }
    const filters = ['state', 'kind', 'from', 'to', 'limit', 'cursor'] as const;
    const documentsWanted = parsed.values.documents === true;
    if (!documentsWanted && filters.some((name) => parsed.values[name] !== undefined)) {
      writeLine(io.stderr, `--state, --kind, --from, --to, --limit and --cursor go with --documents.\n\n${help}`);
      return 2;
    }
    const documentQuery = parseDocumentQuery(
      Object.fromEntries(filters.map((name) => [name, parsed.values[name] as string | undefined])),
    );
    if (!documentQuery.ok) {
      writeLine(io.stderr, `${documentQuery.error.merchantMessage}\n\n${help}`);
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
      if (action === 'retry') return retry(io, context, shop.id, companyFile?.id ?? null, all ? 'all' : id!);
      if (action === 'entered-in-quickbooks')
        return enteredInQuickBooks(io, context, shop.id, companyFile?.id ?? null, id!, said);
      if (documentsWanted) {
        const page = companyFile
          ? await listDocuments(context.storage, companyFile.id, shop, documentQuery.value)
          : { documents: [], nextCursor: null, total: 0 };
        if (parsed.values.json === true) writeLine(io.stdout, JSON.stringify(page, null, 2));
        else {
          const again = (cursor: string) =>
            [
              `${cliName(io)} status --shop ${shop.domain} --documents`,
              ...filters
                .filter((f) => f !== 'cursor' && parsed.values[f] !== undefined)
                .map((f) => `--${f} ${String(parsed.values[f])}`),
              `--cursor ${cursor}`,
            ].join(' ');
          for (const line of documentPageLines(page, shop.currency, again)) writeLine(io.stdout, line);
        }
        return 0;
      }
      const runs = await context.sync.history(shop.id, 5);
      // Reading a run's progress settles it when its documents are all answered, so the list is current.
      const current = await Promise.all(runs.map(async (run) => (await context.sync.progress(run.id))?.run ?? run));
      const outbox = companyFile ? await progress(context.storage, companyFile.id) : null;
      const counted = companyFile ? await documentCounts(context.storage, companyFile.id) : null;
      const attention = await listAttention(context.storage, {
        shopId: shop.id,
        companyFileId: companyFile?.id ?? null,
        now: new Date(),
      });
      const blocked = companyFile ? await listBlocked(context.storage, companyFile.id) : [];
      // What the merchant answered by entering it in QuickBooks: who and when, for the accountant.
      const enteredByHand = await listHandEntries(context.storage, shop.id);
      const recent = companyFile
        ? await listDocuments(context.storage, companyFile.id, shop, { limit: RECENT_DOCUMENTS })
        : null;
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
              documents: counted,
              attention,
              waitingOnAttention: blocked.length,
              enteredByHand,
              recentDocuments: recent?.documents ?? [],
              warnings: current[0]?.summary?.notes ?? [],
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
      const warnings = current[0] ? warningLines(current[0]) : [];
      if (warnings.length > 0) {
        writeLine(io.stdout);
        for (const line of warnings) writeLine(io.stdout, line);
      }
      if (counted) {
        writeLine(io.stdout);
        writeLine(io.stdout, `Documents: ${countsLine(counted)}; ${counted.remaining} still to deliver.`);
      }
      if (recent && recent.documents.length > 0) {
        writeLine(io.stdout);
        writeLine(
          io.stdout,
          `Most recent documents (${recent.documents.length} of ${recent.total}; all of them: ${cliName(io)} status --shop ${shop.domain} --documents):`,
        );
        for (const line of documentsTable(recent.documents, shop.currency)) writeLine(io.stdout, `  ${line}`);
      }
      if (enteredByHand.length > 0) {
        writeLine(io.stdout);
        writeLine(io.stdout, 'Entered in QuickBooks by hand (never posted by the connector):');
        for (const entry of enteredByHand) {
          const who = entry.enteredBy ? ` by ${entry.enteredBy}` : '';
          const note = entry.note ? ` — ${entry.note}` : '';
          writeLine(io.stdout, `  ${entry.subject} [${entry.code}]${who}, ${entry.enteredAt.toISOString()}${note}`);
        }
      }
      writeLine(io.stdout);
      if (attention.length === 0) {
        writeLine(io.stdout, 'Nothing needs your attention.');
        return 0;
      }
      writeLine(io.stdout, `${attention.length} item(s) need your attention:`);
      for (const item of attention) {
        writeLine(io.stdout, `  [${item.id}] ${item.what} ${item.key}`);
        writeLine(io.stdout, `        ${item.reason}${item.code ? ` [${item.code}]` : ''}`);
        writeLine(io.stdout, `        What to do: ${item.whatToDo}`);
      }
      if (blocked.length > 0) writeLine(io.stdout, `${blocked.length} more document(s) wait for these.`);
      if (attention.some((item) => item.enterableByHand)) {
        writeLine(
          io.stdout,
          `Once you entered one in QuickBooks yourself: ${cliName(io)} status --shop ${shop.domain} entered-in-quickbooks ID [--by NAME].`,
        );
      }
      if (attention.some((item) => item.retryable)) {
        writeLine(
          io.stdout,
          `After fixing the cause: ${cliName(io)} status --shop ${shop.domain} retry ID (or retry --all).`,
        );
      }
      return 1;
    });
  },
};
