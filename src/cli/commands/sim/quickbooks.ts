import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { formatMoney } from '../../../domain/index.ts';
import type { Edition } from '../../../simulators/quickbooks/index.ts';
import { openCompany } from '../../../simulators/quickbooks/index.ts';
import type { CliCommand } from '../../command.ts';
import { writeLine } from '../../command.ts';

const help = `Usage:
  qbd-connector sim quickbooks run --company FILE [--edition pro|premier|enterprise] REQUEST.xml
      Executes a qbXML request document and prints the response document. FILE is created
      (sales tax on, 0 % most common tax item) when it does not exist.
  qbd-connector sim quickbooks report trial-balance|profit-and-loss|balance-sheet|inventory-valuation --company FILE [--json]`;

function json(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? formatMoney(v) : v), 2);
}

export const command: CliCommand = {
  name: 'quickbooks',
  summary: 'A QuickBooks Desktop company file that executes qbXML (run, report).',
  help,
  async run(args, io) {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({
        args,
        allowPositionals: true,
        options: { company: { type: 'string' }, edition: { type: 'string' }, json: { type: 'boolean' } },
      });
    } catch (error) {
      writeLine(io.stderr, `${error instanceof Error ? error.message : String(error)}\n\n${help}`);
      return 2;
    }
    const [action, target] = parsed.positionals;
    const companyPath = parsed.values.company;
    if (typeof companyPath !== 'string' || !action || !target) {
      writeLine(io.stderr, help);
      return 2;
    }
    const edition = parsed.values.edition ?? 'pro';
    if (edition !== 'pro' && edition !== 'premier' && edition !== 'enterprise') {
      writeLine(io.stderr, `--edition must be pro, premier or enterprise, not "${String(edition)}".`);
      return 2;
    }
    const file = resolve(io.cwd, companyPath);
    if (action === 'run') {
      const requestPath = resolve(io.cwd, target);
      if (!existsSync(requestPath)) {
        writeLine(io.stderr, `No request file at ${requestPath}.`);
        return 2;
      }
      const company = openCompany(file, { edition: edition as Edition });
      try {
        const result = company.processRequest(readFileSync(requestPath, 'utf8'));
        if (!result.ok) {
          writeLine(io.stderr, `QuickBooks refused the request document: ${result.hresult} ${result.message}`);
          return 1;
        }
        io.stdout.write(result.responseXml);
        return 0;
      } finally {
        company.close();
      }
    }
    if (action === 'report') {
      const kinds = ['trial-balance', 'profit-and-loss', 'balance-sheet', 'inventory-valuation'] as const;
      const kind = kinds.find((k) => k === target);
      if (!kind) {
        writeLine(io.stderr, `Unknown report "${target}". Reports: ${kinds.join(', ')}.`);
        return 2;
      }
      if (!existsSync(file)) {
        writeLine(io.stderr, `No company file at ${file}.`);
        return 2;
      }
      const company = openCompany(file);
      try {
        if (parsed.values.json) {
          const data =
            kind === 'trial-balance'
              ? company.trialBalance()
              : kind === 'profit-and-loss'
                ? company.profitAndLoss()
                : kind === 'balance-sheet'
                  ? company.balanceSheet()
                  : company.inventoryValuation();
          writeLine(io.stdout, json(data));
        } else writeLine(io.stdout, company.reportText(kind));
        return 0;
      } finally {
        company.close();
      }
    }
    writeLine(io.stderr, `Unknown action "${action}".\n\n${help}`);
    return 2;
  },
};
