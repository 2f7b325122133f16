import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { CliCommand } from '../command.ts';
import { writeLine } from '../command.ts';
import { parseFlags, printError, shopFlag, withContext } from './connector-context.ts';

const help = `Usage: qbd-connector qwc --shop my-store.myshopify.com [--out FILE]

Writes the .qwc file that adds this connector to the QuickBooks Web Connector (Web Connector → Add an
application). The file holds the connector's address, the Web Connector user name and the company file's ids —
no secret: the password is the app token, shown once by \`qbd-connector setup app-token\`.

  --shop DOMAIN    the shop (default: SHOPIFY_SHOP)
  --out FILE       where to write it (default: print it on stdout)

Needs the app token step done first. Reads the same environment as \`qbd-connector serve\` (PUBLIC_URL,
DATABASE_URL or SQLITE_PATH/DATA_DIR).

The database: --data-dir DIR (DATA_DIR) or --database-url URL (DATABASE_URL); the same as \`qbd-connector serve\`.`;

export const command: CliCommand = {
  name: 'qwc',
  summary: 'Write the .qwc file for the QuickBooks Web Connector.',
  help,
  async run(args, io) {
    const parsed = parseFlags(io, args, { shop: { type: 'string' }, out: { type: 'string' } }, help);
    if (!parsed.ok) return parsed.code;
    const domain = shopFlag(io, parsed.values, help);
    if (!domain) return 2;
    return withContext(io, async (context) => {
      const qwc = await context.setup.qwcFile(domain);
      if (!qwc.ok) {
        printError(io, qwc.error);
        return 1;
      }
      const out = parsed.values.out as string | undefined;
      if (!out) {
        io.stdout.write(qwc.value.endsWith('\n') ? qwc.value : `${qwc.value}\n`);
        return 0;
      }
      const path = resolve(io.cwd, out);
      writeFileSync(path, qwc.value);
      writeLine(io.stdout, `Wrote ${path}. In the Web Connector choose “Add an application” and open this file.`);
      return 0;
    });
  },
};
