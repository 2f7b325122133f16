import type { CliCommand } from '../../command.ts';
import { writeLine } from '../../command.ts';
import { loadCommand } from '../../main.ts';

const SIMULATORS: Record<string, { summary: string; module: string }> = {
  quickbooks: {
    summary: 'A QuickBooks Desktop company file that executes qbXML (run, report).',
    module: './commands/sim/quickbooks.ts',
  },
  webconnector: {
    summary: 'A QuickBooks Web Connector that drives a SOAP service from a .qwc file.',
    module: './commands/sim/webconnector.ts',
  },
  shopify: {
    summary: 'A Shopify Admin GraphQL API and Stocky API (generate, serve).',
    module: './commands/sim/shopify.ts',
  },
};

const help = [
  'Usage: qbd-connector sim <simulator> <command> [options]',
  '',
  'Simulators:',
  ...Object.entries(SIMULATORS).map(([name, s]) => `  ${name.padEnd(13)} ${s.summary}`),
].join('\n');

export const command: CliCommand = {
  name: 'sim',
  summary: 'Simulators: quickbooks, webconnector, shopify.',
  help,
  async run(args, io) {
    const [name, ...rest] = args;
    const entry = name ? SIMULATORS[name] : undefined;
    if (!entry) {
      writeLine(io.stderr, name ? `Unknown simulator "${name}".\n\n${help}` : help);
      return 2;
    }
    // Paths in SIMULATORS are relative to src/cli/, where loadCommand resolves them.
    const sim = await loadCommand(entry.module);
    if (rest.includes('--help') || rest.includes('-h')) {
      writeLine(io.stdout, sim.help);
      return 0;
    }
    return sim.run(rest, io);
  },
};
