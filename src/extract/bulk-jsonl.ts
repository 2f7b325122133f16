/**
 * Reassembles the JSONL result of an ungrouped bulk operation (`groupObjects: false`) into whole root objects,
 * in bounded memory whatever the size of the file.
 *
 * The format (https://shopify.dev/docs/api/usage/bulk-operations/queries#the-jsonl-data-format): one object per
 * line; every node of a nested connection is its own line with `__parentId` naming its parent; a child always
 * comes after its parent, but not necessarily right after it (Shopify/shopify-api-ruby#729 quotes the docs).
 *
 * The choice here: one pass with a window of open roots. A root stays open, collecting its children, until
 * `window` newer roots have arrived; then it is emitted, oldest first. Memory is bounded by the window (and the
 * size of one root with its children), not by the file. In Shopify's files children follow their parent closely,
 * so with a window of a few hundred roots a late child is rare; when one arrives for a root already emitted, the
 * root's id is reported in `lateParents` and the caller re-reads that record through the paged API — the result
 * stays complete without ever holding the whole file. (A two-pass read would need an index of every id, which
 * grows with the file.)
 */
export interface StitchOptions {
  /** Child field name by the type in the child's GID (`gid://shopify/LineItem/1` → `LineItem`). */
  childFields: Readonly<Record<string, string>>;
  /** Open roots kept before the oldest is emitted. Default 256. */
  window?: number;
}

export interface StitchStats {
  lines: number;
  roots: number;
  children: number;
  lateChildren: number;
}

type Json = Record<string, unknown>;

const GID_TYPE = /^gid:\/\/shopify\/([A-Za-z]+)\//;

export class BulkStitcher {
  readonly stats: StitchStats = { lines: 0, roots: 0, children: 0, lateChildren: 0 };
  /** Ids of emitted roots that received a child too late; bounded by how out-of-order the file is. */
  readonly lateParents = new Set<string>();
  readonly #childFields: Readonly<Record<string, string>>;
  readonly #window: number;
  /** Open roots in arrival order (Map iteration order is insertion order). */
  readonly #open = new Map<string, Json>();
  /** Open non-root objects that may themselves have children (grandchildren), by id → the object. */
  readonly #openChildren = new Map<string, { object: Json; rootId: string }>();
  readonly #childrenOfRoot = new Map<string, string[]>();

  constructor(options: StitchOptions) {
    this.#childFields = options.childFields;
    this.#window = options.window ?? 256;
  }

  /** Feeds one line; returns the roots that are now complete (usually none or one). */
  push(line: string): Json[] {
    if (line.length === 0 || line.trim().length === 0) return [];
    this.stats.lines += 1;
    const object = JSON.parse(line) as Json;
    const parentId = object.__parentId as string | undefined;
    if (parentId === undefined) {
      this.stats.roots += 1;
      this.#open.set(object.id as string, object);
      if (this.#open.size > this.#window) return [this.#emitOldest()];
      return [];
    }
    delete object.__parentId;
    this.stats.children += 1;
    const parent = this.#open.get(parentId) ?? this.#openChildren.get(parentId)?.object;
    if (!parent) {
      this.stats.lateChildren += 1;
      this.lateParents.add(parentId);
      return [];
    }
    const type = typeof object.id === 'string' ? GID_TYPE.exec(object.id)?.[1] : undefined;
    const fieldName = type ? this.#childFields[type] : undefined;
    if (!fieldName) {
      throw new Error(`Bulk result line has a child of unexpected type ${type ?? '(no id)'} under ${parentId}`);
    }
    const list = parent[fieldName];
    if (Array.isArray(list)) list.push(object);
    else parent[fieldName] = [object];
    const rootId = this.#open.has(parentId) ? parentId : this.#openChildren.get(parentId)!.rootId;
    if (typeof object.id === 'string') {
      this.#openChildren.set(object.id, { object, rootId });
      const children = this.#childrenOfRoot.get(rootId);
      if (children) children.push(object.id);
      else this.#childrenOfRoot.set(rootId, [object.id]);
    }
    return [];
  }

  /** Emits every root still open (end of file). */
  finish(): Json[] {
    const out: Json[] = [];
    while (this.#open.size > 0) out.push(this.#emitOldest());
    return out;
  }

  #emitOldest(): Json {
    const [id, root] = this.#open.entries().next().value as [string, Json];
    this.#open.delete(id);
    for (const childId of this.#childrenOfRoot.get(id) ?? []) this.#openChildren.delete(childId);
    this.#childrenOfRoot.delete(id);
    return root;
  }
}

/** Splits a byte stream into lines without holding more than one partial line. */
export async function* readLines(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = '';
  for await (const chunk of source) {
    const text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    let start = 0;
    for (let end = text.indexOf('\n', start); end !== -1; end = text.indexOf('\n', start)) {
      yield text.slice(start, end);
      start = end + 1;
    }
    rest = text.slice(start);
  }
  rest += decoder.decode();
  if (rest.length > 0) yield rest;
}
