import { createReconciliationService, parsePeriod, reportText } from '../../reconcile/index.ts';
import type { CliCommand, CliIo } from '../command.ts';
import { writeLine } from '../command.ts';
import { findShop, parseFlags, printError, shopFlag, withContext } from './connector-context.ts';

const help = `Usage: qbd-connector reconcile --shop D --from YYYY-MM-DD --to YYYY-MM-DD [--refresh] [--json]

Compares Shopify's figures for the period (sales, discounts, returns, shipping, taxes, tips, gift cards, payments
per gateway) with what QuickBooks holds in the mapped accounts, to the cent, in total and per day.

QuickBooks is read through the Web Connector: the first time a period is asked for, the connector asks QuickBooks
for its reports, which QuickBooks answers at the next Web Connector session; run the command again after it.

  --shop DOMAIN   the shop (default: SHOPIFY_SHOP)
  --from, --to    the period, both days included, in the shop's time zone
  --refresh       ask QuickBooks again (after a change made by hand in QuickBooks)
  --json          print the answer as the API gives it (GET /api/shops/:shop/reconciliation)

Exit code: 0 no difference, 1 differences, 3 waiting for QuickBooks, 2 bad input.`;

export const command: CliCommand = {
  name: 'reconcile',
  summary: 'Compare Shopify with QuickBooks for a period, to the cent.',
  help,
  async run(args, io: CliIo) {
    const parsed = parseFlags(
      io,
      args,
      {
        shop: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        refresh: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      help,
    );
    if (!parsed.ok) return parsed.code;
    const domain = shopFlag(io, parsed.values, help);
    if (!domain) return 2;
    const period = parsePeriod(parsed.values.from as string | undefined, parsed.values.to as string | undefined);
    if (!period.ok) {
      writeLine(io.stderr, `${period.error.merchantMessage}\n\n${help}`);
      return 2;
    }
    return withContext(io, async (context) => {
      const shop = await findShop(io, context, domain);
      if (!shop) return 2;
      const service = createReconciliationService({ storage: context.storage });
      const result = await service.reconcile(shop, period.value, { refresh: parsed.values.refresh === true });
      if (!result.ok) {
        printError(io, result.error);
        return 1;
      }
      const { answer, report } = result.value;
      if (parsed.values.json) writeLine(io.stdout, JSON.stringify(answer, null, 2));
      if (answer.state === 'waiting') {
        if (!parsed.values.json) writeLine(io.stdout, answer.message);
        return 3;
      }
      if (!parsed.values.json && report) {
        io.stdout.write(reportText(report));
        writeLine(io.stdout, '');
        writeLine(
          io.stdout,
          `QuickBooks answered at ${answer.asOf}. Trial balance: debits ${answer.trialBalance.debits}, credits ${answer.trialBalance.credits}.`,
        );
        const days = answer.days.filter((d) => d.differences.length > 0);
        if (days.length > 0) writeLine(io.stdout, `Days with a difference: ${days.map((d) => d.date).join(', ')}.`);
      }
      return answer.differences.length === 0 ? 0 : 1;
    });
  },
};
