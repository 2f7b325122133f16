import { progress } from '../../outbox/index.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { deliveredSince, deliveryLine, isTty, ProgressDisplay } from '../progress.ts';
import { findShop, parseFlags, printError, shopFlag, stepCommand, withContext } from './connector-context.ts';
import { describeRun } from './setup.ts';

const help = `Usage: qbd-connector sync --shop D [--wait] [--timeout SECONDS] [--poll-ms N]

Starts a sync now: reads what changed in Shopify, turns it into QuickBooks documents and queues them. The
QuickBooks Web Connector delivers them at its next runs (press "Update Selected" there, or let Auto-Run do it).
Only one sync per shop runs at a time; running it again posts nothing that is already in QuickBooks.

  --shop DOMAIN      the shop (default: SHOPIFY_SHOP)
  --wait             follow the delivery until every document of this sync is answered by QuickBooks
  --timeout SECONDS  with --wait: stop waiting after this long (exit 3); the delivery goes on
  --poll-ms N        with --wait: how often to look at the progress (default 1000)

While it reads Shopify and plans, and while --wait follows the delivery, progress is a bar on a terminal and a plain
line every few seconds otherwise (records read per kind, waits for Shopify's rate limit, documents made, requests
planned; then requests delivered, in QuickBooks, needing attention, failed). --wait follows every request waiting
for the Web Connector, this sync's and any left by earlier ones.
Exit code: 0 done, 1 the sync failed or documents need attention (see \`qbd-connector status\`), 3 timed out.

The database: --data-dir DIR (DATA_DIR) or --database-url URL (DATABASE_URL); the same as \`qbd-connector serve\`.`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const command: CliCommand = {
  name: 'sync',
  summary: 'Start a sync now and follow its progress.',
  help,
  async run(args, io: CliIo) {
    const parsed = parseFlags(
      io,
      args,
      {
        shop: { type: 'string' },
        wait: { type: 'boolean' },
        timeout: { type: 'string' },
        'poll-ms': { type: 'string' },
      },
      help,
    );
    if (!parsed.ok) return parsed.code;
    const domain = shopFlag(io, parsed.values, help);
    if (!domain) return 2;
    const timeoutSeconds = parsed.values.timeout === undefined ? null : Number(parsed.values.timeout);
    const pollMs = Number(parsed.values['poll-ms'] ?? '1000');
    if ((timeoutSeconds !== null && !(timeoutSeconds > 0)) || !Number.isInteger(pollMs) || pollMs < 10) {
      writeLine(io.stderr, `--timeout is a number of seconds and --poll-ms a whole number of at least 10.\n\n${help}`);
      return 2;
    }
    return withContext(io, async (context) => {
      const shop = await findShop(io, context, domain);
      if (!shop) return 1;
      writeLine(io.stdout, `Reading ${shop.name} from Shopify and planning the QuickBooks documents…`);
      const tty = isTty(io.stdout);
      const display = new ProgressDisplay({ stream: io.stdout, tty });
      let run: Awaited<ReturnType<typeof context.sync.run>>;
      try {
        // Someone waits: an unreachable Shopify fails the run at once, with its address and why.
        run = await context.sync.run(shop.id, 'manual', { onProgress: display.handle, interactive: true });
      } finally {
        display.finish();
      }
      if (!run.ok) {
        printError(io, run.error);
        if (run.error.code === 'SYNC_NOT_STARTED') {
          // The service speaks of the app's button; on the command line, name the step still to do and its command.
          const setup = await context.setup.status(domain);
          const next = setup.ok ? setup.value.next : null;
          const hint = next ? stepCommand(io, next, domain) : null;
          if (next && setup.ok) {
            const title = setup.value.steps.find((step) => step.step === next)?.title ?? next;
            writeLine(io.stderr, `Next setup step: ${title}.${hint ? ` ${hint}` : ''}`);
          }
        }
        return 1;
      }
      writeLine(io.stdout, describeRun(run.value));
      if (run.value.state === 'failed') return 1;
      const companyFileId = run.value.companyFileId;
      const baseline = await progress(context.storage, companyFileId);
      const ours = await progress(context.storage, companyFileId, { syncRunId: run.value.id });
      if (baseline.remaining === 0) {
        writeLine(io.stdout, 'Nothing to deliver: every document is in QuickBooks.');
        return 0;
      }
      const earlier = baseline.remaining - ours.remaining;
      writeLine(
        io.stdout,
        `To deliver: ${baseline.remaining} request(s) waiting for the Web Connector (${ours.remaining} from this sync${earlier > 0 ? `, ${earlier} from earlier ones` : ''}).`,
      );
      if (parsed.values.wait !== true) {
        writeLine(
          io.stdout,
          `The Web Connector delivers them at its next run; follow with: ${cliName(io)} status --shop ${shop.domain} (or sync --wait).`,
        );
        return 0;
      }
      const deadline = timeoutSeconds === null ? null : Date.now() + timeoutSeconds * 1000;
      let shown = '';
      let shownAt = 0;
      let now = baseline;
      for (;;) {
        const delivered = deliveredSince(baseline, now);
        const line = deliveryLine(delivered, tty);
        const finished = delivered.remaining === 0;
        // On a terminal the line is redrawn; elsewhere a line when it changed, at most every 10 s, and the last one.
        if (line !== shown && (tty || finished || Date.now() - shownAt >= 10_000 || shown === '')) {
          if (tty) io.stdout.write(`\r${line}\x1b[K`);
          else writeLine(io.stdout, line);
          shown = line;
          shownAt = Date.now();
        }
        if (finished) break;
        if (deadline !== null && Date.now() >= deadline) {
          if (tty) writeLine(io.stdout);
          writeLine(
            io.stdout,
            `Stopped waiting after ${timeoutSeconds} s; ${delivered.remaining} request(s) still to deliver. Is the Web Connector running?`,
          );
          return 3;
        }
        await sleep(pollMs);
        now = await progress(context.storage, companyFileId);
      }
      if (tty) writeLine(io.stdout);
      const settled = await context.sync.progress(run.value.id);
      if (settled) writeLine(io.stdout, describeRun(settled.run));
      const result = deliveredSince(baseline, now);
      if (result.needsAttention + result.failed > 0) {
        writeLine(
          io.stdout,
          `${result.needsAttention + result.failed} document(s) need your attention: ${cliName(io)} status --shop ${shop.domain}`,
        );
        return 1;
      }
      return 0;
    });
  },
};
