/**
 * Reads a shop data file. Files written by the generator have one record per line, which is read line by line: a
 * 100,000-order file is larger than the longest string V8 can hold, so it can never go through one JSON.parse.
 * Any other JSON layout (a small hand-written fixture) is parsed whole.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import type { ShopDataFile } from '../../../domain/index.ts';

const WHOLE_FILE_LIMIT = 64 * 1024 * 1024;

export async function readShopFile(path: string): Promise<ShopDataFile> {
  const first = await firstLine(path);
  if (!first.startsWith('{"format":"qbd-connector/shop-data@1",')) {
    if ((await stat(path)).size > WHOLE_FILE_LIMIT) {
      throw new Error(`${path} is not a generated shop file and too large to read whole`);
    }
    return checkFormat(JSON.parse(await readFile(path, 'utf8')) as ShopDataFile, path);
  }
  const out: Record<string, unknown> = {};
  let target: unknown[] | null = null;
  let holder: Record<string, unknown> = out;
  const lines = createInterface({
    input: createReadStream(path, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const raw of lines) {
    const line = raw.endsWith(',') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    if (target && line.startsWith('{')) {
      target.push(JSON.parse(line));
      continue;
    }
    if (line === ']') {
      target = null;
      continue;
    }
    if (line === '}') {
      holder = out;
      continue;
    }
    if (line.startsWith('{"format":')) {
      Object.assign(out, JSON.parse(`${line}}`));
      continue;
    }
    const nested = /^"(\w+)":\{"(\w+)":\[(\]?)$/.exec(line);
    if (nested) {
      holder = {};
      out[nested[1]!] = holder;
      const items: unknown[] = [];
      holder[nested[2]!] = items;
      target = nested[3] ? null : items;
      continue;
    }
    const array = /^"(\w+)":\[(\]?)$/.exec(line);
    if (array) {
      const items: unknown[] = [];
      holder[array[1]!] = items;
      target = array[2] ? null : items;
      continue;
    }
    // A one-line member: "shop":{…}, "shopifyPaymentsAccount":null, or the closing "stocky":{…}} of the file.
    const text = line.startsWith('"stocky":') && line.endsWith('}') ? line.slice(0, -1) : line;
    Object.assign(out, JSON.parse(`{${text}}`));
  }
  return checkFormat(out as unknown as ShopDataFile, path);
}

async function firstLine(path: string): Promise<string> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8', end: 4096 }) });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

function checkFormat(data: ShopDataFile, path: string): ShopDataFile {
  if (data.format !== 'qbd-connector/shop-data@1') {
    throw new Error(`${path} is not a shop data file (format ${JSON.stringify(data.format)})`);
  }
  return data;
}
