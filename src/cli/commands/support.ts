import { userInfo } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { CliCommand, CliIo } from '../command.ts';
import { cliName, writeLine } from '../command.ts';
import { findShop, parseFlags, printError, shopFlag, wantsHelp, withContext } from './connector-context.ts';

const help = `Usage: qbd-connector support reset-integration --shop D [--yes] [--reason TEXT] [--operator NAME]

Support operation: resets a started integration so its setup can be done again. It first states exactly what
it removes and what it keeps, then asks you to confirm by typing the shop's domain (or takes --yes). Without a
terminal to ask on, it refuses unless --yes is given. An audit record names the operator and the reason.
It never deletes or changes anything in QuickBooks, and what was already posted is never posted again.

  --shop DOMAIN     the shop (default: SHOPIFY_SHOP)
  --yes             do not ask (scripts)
  --reason TEXT     why, for the audit record
  --operator NAME   who, for the audit record (default: the system user name)

The database: --data-dir DIR (DATA_DIR) or --database-url URL (DATABASE_URL); the same as \`qbd-connector serve\`.`;

function isTty(stream: Readable): boolean {
  return (stream as Readable & { isTTY?: boolean }).isTTY === true;
}

function ask(io: CliIo, question: string): Promise<string | null> {
  return new Promise((resolve) => {
    const lines = createInterface({ input: io.stdin, terminal: false });
    let answered = false;
    io.stdout.write(question);
    lines.once('line', (line) => {
      answered = true;
      lines.close();
      resolve(line.trim());
    });
    lines.once('close', () => {
      if (!answered) resolve(null);
    });
  });
}

function operatorName(io: CliIo): string {
  try {
    return io.env.USER ?? io.env.USERNAME ?? userInfo().username;
  } catch {
    return 'unknown';
  }
}

export const command: CliCommand = {
  name: 'support',
  summary: 'Support operations (reset-integration).',
  help,
  async run(args, io) {
    const [operation, ...rest] = args;
    if (!operation || operation === '--help' || operation === '-h' || wantsHelp(rest)) {
      writeLine(operation ? io.stdout : io.stderr, help);
      return operation ? 0 : 2;
    }
    if (operation !== 'reset-integration') {
      writeLine(io.stderr, `Unknown support operation "${operation}".\n\n${help}`);
      return 2;
    }
    const parsed = parseFlags(
      io,
      rest,
      {
        shop: { type: 'string' },
        yes: { type: 'boolean' },
        reason: { type: 'string' },
        operator: { type: 'string' },
      },
      help,
    );
    if (!parsed.ok) return parsed.code;
    const domain = shopFlag(io, parsed.values, help);
    if (!domain) return 2;
    const confirmed = parsed.values.yes === true;
    if (!confirmed && !isTty(io.stdin)) {
      writeLine(
        io.stderr,
        'Refusing to reset without confirmation: there is no terminal to ask on. Run it in a terminal, or add --yes once you have read what it removes (run it in a terminal first to see).',
      );
      return 2;
    }
    return withContext(io, async (context) => {
      const shop = await findShop(io, context, domain);
      if (!shop) return 1;
      const described = await context.setup.describeReset(domain);
      if (!described.ok) {
        printError(io, described.error);
        return 1;
      }
      writeLine(io.stdout, `Reset the integration of ${shop.name} (${shop.domain}).`);
      writeLine(io.stdout, 'This removes:');
      for (const line of described.value.removes) writeLine(io.stdout, `  - ${line}`);
      writeLine(io.stdout, 'This keeps:');
      for (const line of described.value.keeps) writeLine(io.stdout, `  - ${line}`);
      writeLine(io.stdout, 'Nothing is deleted or changed in QuickBooks.');
      for (const warning of described.value.warnings) writeLine(io.stdout, `Warning: ${warning}`);
      if (!confirmed) {
        const answer = await ask(io, `Type the shop's domain (${shop.domain}) to reset it, anything else to stop: `);
        if (answer?.toLowerCase() !== shop.domain) {
          writeLine(io.stdout, 'Not reset: nothing was changed.');
          return 1;
        }
      }
      const reset = await context.setup.resetIntegration(domain, {
        operator: (parsed.values.operator as string | undefined) ?? operatorName(io),
        ...(parsed.values.reason ? { reason: parsed.values.reason as string } : {}),
      });
      if (!reset.ok) {
        printError(io, reset.error);
        return 1;
      }
      writeLine(
        io.stdout,
        `Integration reset: ${reset.value.cancelled} unsent request(s) cancelled. The setup can be done again from the sales tax check: ${cliName(io)} setup status --shop ${shop.domain}`,
      );
      return 0;
    });
  },
};
