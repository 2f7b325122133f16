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
 * Children are kept as their JSON text, not as objects: every parsed object dies young (cheap for the garbage
 * collector, and the reason peak memory stays flat), and the record text is assembled from the lines without
 * serialising anything again (measured in bench/extract.ts).
 */
export interface StitchOptions {
  /** Child field name by the type in the child's GID (`gid://shopify/LineItem/1` → `lineItems`), in output order. */
  childFields: Readonly<Record<string, string>>;
  /** Open roots kept before the oldest is emitted. Default 16. */
  window?: number;
  /**
   * Root fields the caller needs besides the text (default: id only). The parsed root is not kept: only these
   * fields and the text stay in memory while the root is open.
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
  /** The root line's JSON with one array per child field appended, children without `__parentId`. */
  text: string;
}

interface OpenRoot {
  root: Json;
  line: string;
  children: Map<string, string[]>;
}

const GID_PREFIX = 'gid://shopify/';
const PARENT_KEY = ',"__parentId":"';
const NONE: readonly StitchedRoot[] = Object.freeze([]);

export class BulkStitcher {
  readonly stats: StitchStats = { lines: 0, roots: 0, children: 0, lateChildren: 0 };
  /** Ids of parents that received a child too late; bounded by how out-of-order the file is. */
  readonly lateParents = new Set<string>();
  readonly #childFields: Readonly<Record<string, string>>;
  readonly #fieldOrder: string[];
  readonly #window: number;
  readonly #keep: readonly string[];
  /** Open roots in arrival order (Map iteration order is insertion order). */
  readonly #open = new Map<string, OpenRoot>();

  constructor(options: StitchOptions) {
    this.#childFields = options.childFields;
    this.#fieldOrder = Object.values(options.childFields);
    this.#window = options.window ?? 16;
    this.#keep = options.keep ?? [];
  }

  /** Feeds one line; returns the roots that are now complete (usually none or one). */
  push(line: string): readonly StitchedRoot[] {
    if (line.length === 0) return NONE;
    const object = JSON.parse(line) as Json;
    this.stats.lines += 1;
    const parentId = object.__parentId as string | undefined;
    if (parentId === undefined) {
      this.stats.roots += 1;
      const kept: Json = { id: object.id };
      for (const field of this.#keep) kept[field] = object[field];
      this.#open.set(object.id as string, { root: kept, line, children: new Map() });
      if (this.#open.size > this.#window) return [this.#emitOldest()];
      return NONE;
    }
    this.stats.children += 1;
    const parent = this.#open.get(parentId);
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
    // Shopify writes __parentId as the last key: cut it from the text; otherwise serialise the object without it.
    const cut = line.lastIndexOf(PARENT_KEY);
    let text: string;
    if (cut > 0 && line.endsWith('"}') && line.indexOf('"', cut + PARENT_KEY.length) === line.length - 2) {
      text = line.slice(0, cut) + '}';
    } else {
      delete object.__parentId;
      text = JSON.stringify(object);
    }
    const list = parent.children.get(fieldName);
    if (list) list.push(text);
    else parent.children.set(fieldName, [text]);
    return NONE;
  }

  /** Emits every root still open (end of file). */
  finish(): StitchedRoot[] {
    const out: StitchedRoot[] = [];
    while (this.#open.size > 0) out.push(this.#emitOldest());
    return out;
  }

  #emitOldest(): StitchedRoot {
    const [id, open] = this.#open.entries().next().value as [string, OpenRoot];
    this.#open.delete(id);
    let text = open.line.trimEnd().slice(0, -1);
    const childCounts: Record<string, number> = {};
    for (const field of this.#fieldOrder) {
      const children = open.children.get(field);
      text += `,"${field}":[${children ? children.join(',') : ''}]`;
      childCounts[field] = children?.length ?? 0;
    }
    return { root: open.root, childCounts, text: text + '}' };
  }
}

/**
 * Splits a byte stream into lines without holding more than one partial line. Each line is decoded from the bytes
 * on its own, so it is a fresh string: a line kept for a while (an open root) does not keep the whole chunk it came
 * from alive, which is what lets the garbage collector keep peak memory flat.
 */
export async function* readLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  let rest: Buffer | null = null;
  for await (const chunk of source) {
    const bytes =
      typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    const buffer: Buffer = rest ? Buffer.concat([rest, bytes]) : bytes;
    let start = 0;
    for (let end = buffer.indexOf(10, start); end !== -1; end = buffer.indexOf(10, start)) {
      yield buffer.toString('utf8', start, end);
      start = end + 1;
    }
    rest = start < buffer.length ? Buffer.from(buffer.subarray(start)) : null;
  }
  if (rest && rest.length > 0) yield rest.toString('utf8');
}
