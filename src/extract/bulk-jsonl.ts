/**
 * Reassembles the JSONL result of an ungrouped bulk operation (`groupObjects: false`) into whole root records, in
 * bounded memory whatever the size of the file.
 *
 * The format (https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format): one object per
 * line; every node of a nested connection is its own line with `__parentId` naming its parent; a child always
 * comes after its parent, but not necessarily right after it (Shopify/shopify-api-ruby#729 quotes the docs).
 *
 * The choice here: one pass with a window of open roots. A root stays open, collecting its children, until
 * `window` newer roots have arrived; then it is emitted, oldest first. Memory is bounded by the window (and one
 * root with its children), not by the file. Children follow their parent closely in Shopify's files, so a late
 * child is rare; when one arrives for a root already emitted (or for a parent that is not a root), the parent's id
 * is reported in `lateParents` and the caller reads that record again through the paged API — the result stays
 * complete without ever holding the whole file. (A two-pass read would need an index of every id, which grows with
 * the file.)
 *
 * Memory stays flat because almost nothing the stitcher allocates outlives a minor GC: an open root's line and its
 * children's lines are copied as bytes into buffers outside the JS heap, reused from root to root; each record's
 * text is assembled from those bytes without serialising anything again; and the open roots sit in a ring, not a
 * Map (see #ring). Objects that keep surviving minor GCs make V8 grow its young generation to its maximum, which
 * was most of the backfill's peak memory (measured in bench/extract.ts).
 */
export interface StitchOptions {
  /** Child field name by the type in the child's GID (`gid://shopify/LineItem/1` → `lineItems`), in output order. */
  childFields: Readonly<Record<string, string>>;
  /** Open roots kept before the oldest is emitted. Default 16. */
  window?: number;
  /**
   * Root fields the caller needs besides the text (default: id only). The parsed root is not kept: only these
   * fields and the line's bytes stay in memory while the root is open.
   */
  keep?: readonly string[];
}

export interface StitchStats {
  lines: number;
  roots: number;
  children: number;
  lateChildren: number;
}

type Json = Record<string, unknown>;

/** A complete root: the parsed root line (without its children) and the record text with children inlined. */
export interface StitchedRoot {
  /** The `keep` fields of the root line (and its id). */
  root: Json;
  /** How many children each child field received. */
  childCounts: Record<string, number>;
  /** The root line's JSON with one array per child field appended, children without `__parentId`, as UTF-8. */
  bytes: Buffer;
  /** The same as text, decoded from `bytes` at each read (a caller that only stores the record never makes it). */
  readonly text: string;
}

class Stitched implements StitchedRoot {
  readonly root: Json;
  readonly childCounts: Record<string, number>;
  readonly bytes: Buffer;
  constructor(root: Json, childCounts: Record<string, number>, bytes: Buffer) {
    this.root = root;
    this.childCounts = childCounts;
    this.bytes = bytes;
  }
  get text(): string {
    return this.bytes.toString('utf8');
  }
}

/** A growable byte buffer, reused across roots so a steady backfill allocates no new ones. */
class Bytes {
  buffer: Buffer;
  length = 0;
  constructor(size: number) {
    this.buffer = Buffer.allocUnsafeSlow(size);
  }
  reserve(more: number): void {
    if (this.length + more <= this.buffer.length) return;
    const bigger = Buffer.allocUnsafeSlow(Math.max(this.buffer.length * 2, this.length + more));
    this.buffer.copy(bigger, 0, 0, this.length);
    this.buffer = bigger;
  }
  append(bytes: Uint8Array, start: number, end: number): void {
    this.reserve(end - start);
    this.buffer.set(bytes.subarray(start, end), this.length);
    this.length += end - start;
  }
  appendText(text: string): void {
    this.reserve(Buffer.byteLength(text));
    this.length += this.buffer.write(text, this.length);
  }
}

interface ChildList {
  bytes: Bytes;
  count: number;
}

interface OpenRoot {
  root: Json;
  line: Bytes;
  id: string;
  /** By the field's place in the output order. */
  children: (ChildList | undefined)[];
}

const GID_PREFIX = 'gid://shopify/';
const PARENT_KEY = Buffer.from(',"__parentId":"');
const QUOTE = 0x22;
const CLOSE = 0x7d;
const COMMA = 0x2c;
const NONE: readonly StitchedRoot[] = Object.freeze([]);

export class BulkStitcher {
  readonly stats: StitchStats = { lines: 0, roots: 0, children: 0, lateChildren: 0 };
  /** Ids of parents that received a child too late; bounded by how out-of-order the file is. */
  readonly lateParents = new Set<string>();
  readonly #childFields: Readonly<Record<string, string>>;
  readonly #fieldOrder: string[];
  readonly #window: number;
  readonly #keep: readonly string[];
  /**
   * Open roots, oldest first, in a ring. Not a Map: a Map used as a queue rehashes as entries are deleted, and each
   * dropped table links to its successor, so one table promoted to the old generation keeps every later one alive
   * through minor GCs; that steady survival is what made V8 grow its young generation to the maximum. The window
   * is small and a child's parent is almost always the newest root, so a search from the newest end is cheap.
   */
  readonly #ring: (OpenRoot | undefined)[];
  #oldest = 0;
  #openCount = 0;
  /** Output index by child field name. */
  readonly #fieldIndex = new Map<string, number>();
  /** Byte buffers of emitted roots, ready for the next ones. */
  readonly #spare: Bytes[] = [];
  /** Where an emitted root's text is assembled before it is decoded. */
  readonly #out = new Bytes(1 << 16);

  constructor(options: StitchOptions) {
    this.#childFields = options.childFields;
    this.#fieldOrder = Object.values(options.childFields);
    this.#window = options.window ?? 16;
    this.#ring = new Array(this.#window + 1).fill(undefined);
    for (const [index, field] of this.#fieldOrder.entries()) this.#fieldIndex.set(field, index);
    this.#keep = options.keep ?? [];
  }

  /**
   * Feeds one line, as text or as its UTF-8 bytes (bytes are copied, not kept: the caller may reuse them); returns
   * the roots that are now complete (usually none or one).
   */
  push(line: string | Uint8Array): readonly StitchedRoot[] {
    if (line.length === 0) return NONE;
    const bytes = typeof line === 'string' ? Buffer.from(line) : line;
    const object = JSON.parse(
      typeof line === 'string' ? line : Buffer.from(line.buffer, line.byteOffset, line.length).toString('utf8'),
    ) as Json;
    this.stats.lines += 1;
    const parentId = object.__parentId as string | undefined;
    if (parentId === undefined) {
      this.stats.roots += 1;
      const kept: Json = { id: object.id };
      for (const field of this.#keep) kept[field] = object[field];
      const copy = this.#bytes();
      copy.append(bytes, 0, bytes.length);
      this.#ring[(this.#oldest + this.#openCount) % this.#ring.length] = {
        id: object.id as string,
        root: kept,
        line: copy,
        children: [],
      };
      this.#openCount += 1;
      if (this.#openCount > this.#window) return [this.#emitOldest()];
      return NONE;
    }
    this.stats.children += 1;
    const parent = this.#find(parentId);
    if (!parent) {
      this.stats.lateChildren += 1;
      this.lateParents.add(parentId);
      return NONE;
    }
    const id = object.id;
    const type =
      typeof id === 'string' && id.startsWith(GID_PREFIX)
        ? id.slice(GID_PREFIX.length, id.indexOf('/', GID_PREFIX.length))
        : '';
    const fieldName = this.#childFields[type];
    if (!fieldName) {
      throw new Error(`Bulk result line has a child of unexpected type ${type || '(no id)'} under ${parentId}`);
    }
    const index = this.#fieldIndex.get(fieldName)!;
    let list = parent.children[index];
    if (!list) {
      list = { bytes: this.#bytes(), count: 0 };
      parent.children[index] = list;
    }
    if (list.count > 0) list.bytes.append(COMMA_BYTES, 0, 1);
    list.count += 1;
    // Shopify writes __parentId as the last key: cut it from the bytes (the key is ASCII, so its last occurrence in
    // the bytes is its last occurrence in the text); otherwise serialise the object without it.
    const end = bytes.length;
    const cut = lastIndexOf(bytes, PARENT_KEY);
    if (
      cut > 0 &&
      bytes[end - 1] === CLOSE &&
      bytes[end - 2] === QUOTE &&
      bytes.indexOf(QUOTE, cut + PARENT_KEY.length) === end - 2
    ) {
      list.bytes.append(bytes, 0, cut);
      list.bytes.append(CLOSE_BYTES, 0, 1);
    } else {
      delete object.__parentId;
      list.bytes.appendText(JSON.stringify(object));
    }
    return NONE;
  }

  /** Emits every root still open (end of file). */
  finish(): StitchedRoot[] {
    const out: StitchedRoot[] = [];
    while (this.#openCount > 0) out.push(this.#emitOldest());
    return out;
  }

  #find(id: string): OpenRoot | undefined {
    for (let i = this.#openCount - 1; i >= 0; i -= 1) {
      const open = this.#ring[(this.#oldest + i) % this.#ring.length]!;
      if (open.id === id) return open;
    }
    return undefined;
  }

  #bytes(): Bytes {
    const spare = this.#spare.pop();
    if (!spare) return new Bytes(4096);
    spare.length = 0;
    return spare;
  }

  #emitOldest(): StitchedRoot {
    const open = this.#ring[this.#oldest]!;
    this.#ring[this.#oldest] = undefined;
    this.#oldest = (this.#oldest + 1) % this.#ring.length;
    this.#openCount -= 1;
    const out = this.#out;
    out.length = 0;
    // The root line without trailing white space and its closing brace.
    let end = open.line.length;
    while (end > 0 && open.line.buffer[end - 1]! <= 0x20) end -= 1;
    out.append(open.line.buffer, 0, end - 1);
    this.#spare.push(open.line);
    const childCounts: Record<string, number> = {};
    for (const [index, field] of this.#fieldOrder.entries()) {
      const children = open.children[index];
      out.appendText(`,"${field}":[`);
      if (children) {
        out.append(children.bytes.buffer, 0, children.bytes.length);
        this.#spare.push(children.bytes);
      }
      out.append(CLOSE_ARRAY_BYTES, 0, 1);
      childCounts[field] = children?.count ?? 0;
    }
    out.append(CLOSE_BYTES, 0, 1);
    return new Stitched(open.root, childCounts, Buffer.from(out.buffer.subarray(0, out.length)));
  }
}

const COMMA_BYTES = Buffer.from([COMMA]);
const CLOSE_BYTES = Buffer.from([CLOSE]);
const CLOSE_ARRAY_BYTES = Buffer.from(']');

function lastIndexOf(bytes: Uint8Array, needle: Buffer): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).lastIndexOf(needle);
}

/** Splits a byte stream into lines, each decoded on its own (see readLineBytes). */
export async function* readLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  for await (const line of readLineBytes(source)) yield line.toString('utf8');
}

/**
 * Splits a byte stream into lines as bytes, for BulkStitcher.push: no string is made for a line the caller only
 * copies. A line is a view into the chunk it came from (a line split across chunks is a fresh copy), valid as long
 * as the caller holds it.
 */
export async function* readLineBytes(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Buffer> {
  let rest: Buffer | null = null;
  for await (const chunk of source) {
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    let start = 0;
    let end = bytes.indexOf(10);
    if (rest) {
      if (end === -1) {
        rest = Buffer.concat([rest, bytes]);
        continue;
      }
      // Only the split line is copied, never the rest of the chunk.
      yield Buffer.concat([rest, bytes.subarray(0, end)]);
      rest = null;
      start = end + 1;
      end = bytes.indexOf(10, start);
    }
    for (; end !== -1; end = bytes.indexOf(10, start)) {
      yield bytes.subarray(start, end);
      start = end + 1;
    }
    if (start < bytes.length) rest = Buffer.from(bytes.subarray(start));
  }
  if (rest && rest.length > 0) yield rest;
}
