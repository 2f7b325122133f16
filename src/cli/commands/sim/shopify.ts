/**
 * `qbd-connector sim shopify generate|serve`: writes a generated shop to a file (streamed, so any size), or serves
 * a data file as the Shopify Admin API and the Stocky API.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import type { ShopProfileKey } from '../../../simulators/shopify/index.ts';
import { PROFILES, readShopFile, startShopifySimulator, writeShopFile } from '../../../simulators/shopify/index.ts';
import { startStockySimulator } from '../../../simulators/stocky/index.ts';
import type { CliCommand, CliIo } from '../../command.ts';
import { writeLine } from '../../command.ts';

const help = `Usage: qbd-connector sim shopify <command> [options]

Commands:
  generate --orders N --seed S [--profile us|gb|ca|au] [--start DATE] [--per-day N] [--out FILE]
      Writes a generated shop (same seed and options, same bytes). Without --out, to standard output.
  serve --data FILE [--port P] [--stocky-port P] [--webhook-url URL] [--access-token T] [--app-secret S]
      Serves the data file as the Shopify Admin GraphQL API (2026-10) and the Stocky v2 API, until interrupted.`;

function flags(args: string[]): { values: Record<string, string>; problems: string[] } {
  const values: Record<string, string> = {};
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      problems.push(`Unexpected argument "${arg}".`);
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) {
      problems.push(`${arg} needs a value.`);
      continue;
    }
    values[arg.slice(2)] = value;
    i++;
  }
  return { values, problems };
}

async function generate(args: string[], io: CliIo): Promise<number> {
  const { values, problems } = flags(args);
  const orders = Number(values.orders);
  if (!Number.isInteger(orders) || orders < 0) problems.push('--orders must be a whole number (0 or more).');
  if (values.seed === undefined) problems.push('--seed is required (the same seed gives the same shop).');
  const profile = (values.profile ?? 'us') as ShopProfileKey;
  if (!(profile in PROFILES)) problems.push(`--profile must be one of ${Object.keys(PROFILES).join(', ')}.`);
  const perDay = values['per-day'] === undefined ? undefined : Number(values['per-day']);
  if (perDay !== undefined && !(perDay > 0)) problems.push('--per-day must be a positive number.');
  if (values.start !== undefined && Number.isNaN(Date.parse(values.start))) problems.push('--start must be a date.');
  if (problems.length > 0) {
    writeLine(io.stderr, `${problems.join('\n')}\n\n${help}`);
    return 2;
  }
  const options = { seed: values.seed!, orders, profile, startDate: values.start, ordersPerDay: perDay };
  if (values.out === undefined) {
    await writeShopFile(options, async (chunk) => {
      if (!io.stdout.write(chunk)) await once(io.stdout, 'drain');
    });
    return 0;
  }
  const path = resolve(io.cwd, values.out);
  const file = createWriteStream(path);
  await writeShopFile(options, async (chunk) => {
    if (!file.write(chunk)) await once(file, 'drain');
  });
  await new Promise<void>((done, fail) => file.end((error?: Error | null) => (error ? fail(error) : done())));
  writeLine(io.stderr, `Wrote ${orders} orders (seed ${values.seed}, profile ${profile}) to ${path}`);
  return 0;
}

async function serve(args: string[], io: CliIo): Promise<number> {
  const { values, problems } = flags(args);
  if (values.data === undefined) problems.push('--data FILE is required (make one with `sim shopify generate`).');
  const port = Number(values.port ?? 0);
  const stockyPort = Number(values['stocky-port'] ?? 0);
  if (!Number.isInteger(port) || port < 0 || !Number.isInteger(stockyPort) || stockyPort < 0)
    problems.push('Ports must be whole numbers.');
  if (problems.length > 0) {
    writeLine(io.stderr, `${problems.join('\n')}\n\n${help}`);
    return 2;
  }
  let data: Awaited<ReturnType<typeof readShopFile>>;
  try {
    data = await readShopFile(resolve(io.cwd, values.data!));
  } catch (error) {
    writeLine(io.stderr, `Cannot read the data file: ${(error as Error).message}`);
    return 1;
  }
  const shopify = await startShopifySimulator({
    data,
    port,
    accessTokens: [values['access-token'] ?? 'shpat_simulator'],
    appSecret: values['app-secret'],
    webhookUrl: values['webhook-url'] ?? null,
  });
  const stocky = await startStockySimulator({ data, port: stockyPort });
  writeLine(io.stdout, `Shopify Admin API: ${shopify.graphqlUrl}`);
  writeLine(io.stdout, `Shop domain:       ${shopify.shopDomain}`);
  writeLine(io.stdout, `Access token:      ${shopify.accessToken}`);
  writeLine(io.stdout, `Client id:         ${shopify.clientId}`);
  writeLine(io.stdout, `App secret:        ${shopify.appSecret}`);
  writeLine(
    io.stdout,
    `Stocky API:        ${stocky.url} (Store-Name: ${stocky.storeName}, Authorization: API KEY=${stocky.apiKey})`,
  );
  writeLine(io.stdout, `Serving ${data.orders.length} orders. Ctrl+C stops.`);
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await Promise.all([shopify.close(), stocky.close()]);
  return 0;
}

export const command: CliCommand = {
  name: 'shopify',
  summary: 'A Shopify Admin GraphQL API and Stocky API (generate, serve).',
  help,
  async run(args, io) {
    const [sub, ...rest] = args;
    if (sub === 'generate') return generate(rest, io);
    if (sub === 'serve') return serve(rest, io);
    writeLine(io.stderr, sub ? `Unknown command "${sub}".\n\n${help}` : help);
    return 2;
  },
};
