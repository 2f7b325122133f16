import type { Writable } from 'node:stream';
import type { SyncProgress } from '../../sync/service.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { findShop, parseFlags, printError, shopFlag, withContext } from './connector-context.ts';
import { describeRun } from './setup.ts';
import { countsLine, sentCount } from './status.ts';

const help = `Usage: qbd-connector sync --shop D [--wait] [--timeout SECONDS] [--poll-ms N]

Starts a sync now: reads what changed in Shopify, turns it into QuickBooks documents and queues them. The
QuickBooks Web Connector delivers them at its next runs (press "Update Selected" there, or let Auto-Run do it).
Only one sync per shop runs at a time; running it again posts nothing that is already in QuickBooks.

  --shop DOMAIN      the shop (default: SHOPIFY_SHOP)
  --wait             follow the delivery until every document of this sync is answered by QuickBooks
  --timeout SECONDS  with --wait: stop waiting after this long (exit 3); the delivery goes on
  --poll-ms N        with --wait: how often to look at the progress (default 1000)

Progress (planned / sent / applied / failed / need attention) is a bar on a terminal, plain lines otherwise.
Exit code: 0 done, 1 the sync failed or documents need attention (see \`qbd-connector status\`), 3 timed out.`;

function isTty(stream: Writable): boolean {
  return (stream as Writable & { isTTY?: boolean }).isTTY === true;
}

/** `[########------------] 40/100 applied · 2 sent · 0 failed · 1 needs attention`, on one rewritten line. */
export function progressBar(p: SyncProgress, width = 24): string {
  const o = p.outbox;
  const done = o.applied + o.failed + o.needsAttention;
  const filled = o.planned === 0 ? width : Math.min(width, Math.floor((done / o.planned) * width));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${o.applied}/${o.planned} applied · ${sentCount(o)} sent · ${o.failed} failed · ${o.needsAttention} need attention`;
}

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
      const run = await context.sync.run(shop.id, 'manual');
      if (!run.ok) {
        printError(io, run.error);
        return 1;
      }
      writeLine(io.stdout, describeRun(run.value));
      if (run.value.state === 'failed') return 1;
      const tty = isTty(io.stdout);
      let last = '';
      const show = (p: SyncProgress) => {
        const line = tty ? progressBar(p) : `Progress: ${countsLine(p.outbox)}.`;
        if (line === last) return;
        last = line;
        if (tty) io.stdout.write(`\r${line}\x1b[K`);
        else writeLine(io.stdout, line);
      };
      let current = await context.sync.progress(run.value.id);
      if (!current) throw new Error(`Sync run ${run.value.id} vanished`);
      show(current);
      if (parsed.values.wait !== true) {
        if (tty) writeLine(io.stdout);
        writeLine(
          io.stdout,
          current.run.state === 'delivering'
            ? `The Web Connector delivers these at its next run; follow with: ${cliName(io)} status --shop ${shop.domain} (or sync --wait).`
            : 'Nothing new to deliver.',
        );
        return 0;
      }
      const deadline = timeoutSeconds === null ? null : Date.now() + timeoutSeconds * 1000;
      while (current.run.state === 'delivering') {
        if (deadline !== null && Date.now() >= deadline) {
          if (tty) writeLine(io.stdout);
          writeLine(
            io.stdout,
            `Stopped waiting after ${timeoutSeconds} s; ${current.outbox.remaining} document(s) still to deliver. Is the Web Connector running?`,
          );
          return 3;
        }
        await sleep(pollMs);
        const next = await context.sync.progress(run.value.id);
        if (!next) throw new Error(`Sync run ${run.value.id} vanished`);
        current = next;
        show(current);
      }
      if (tty) writeLine(io.stdout);
      writeLine(io.stdout, describeRun(current.run));
      if (current.run.state === 'completed_with_attention') {
        writeLine(
          io.stdout,
          `${current.outbox.needsAttention + current.outbox.failed} document(s) need your attention: ${cliName(io)} status --shop ${shop.domain}`,
        );
        return 1;
      }
      return 0;
    });
  },
};
