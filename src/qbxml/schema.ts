/**
 * Runtime views over the generated content models: children in schema order, lookup by name, and a matcher that
 * checks a sequence of child element names against the model (order, required, choice branches, occurrence).
 * The XSD obeys the Unique Particle Attribution rule, so a greedy left-to-right match decides exactly what a
 * validating parser would.
 */
import { COMPLEX_TYPES, MESSAGES, type MessageName } from './generated/schema.ts';
import type { ComplexTypeDef, ElementParticle, GroupParticle, Particle } from './schema-types.ts';

export interface ChildInfo {
  particle: ElementParticle;
  /** True when the element may repeat here (its own maxOccurs or an enclosing repeating group). */
  repeated: boolean;
  /** Position in schema order (the parent's `order`). */
  index: number;
  /** `<Name>`, `</Name>` and `<Name/>`, made once for the writer. */
  open: string;
  close: string;
  empty: string;
  /**
   * How the writer treats the value: an element of its own (`object`), free text (transliterated, length-checked,
   * escaped), an enumeration (escaped), or a kind whose written form is checked digits and signs (`plain`).
   */
  writeAs: 'object' | 'text' | 'enum' | 'plain';
  /** The child's own type, for `object` (resolved on first use). */
  info: TypeInfo | null;
}

/** A child-name sequence, one element per step, as a trie of `ChildInfo.index` (the writer's cache). */
export interface SequenceNode {
  /** True once the sequence ending here has been matched against the content model. */
  valid: boolean;
  next: (SequenceNode | undefined)[];
}

/** The children an object with exactly these keys (in this order) writes, in schema order. */
export interface ShapePlan {
  keys: readonly string[];
  children: readonly ChildInfo[];
}

export interface TypeInfo {
  id: string;
  def: ComplexTypeDef;
  /** Child elements in schema order (first occurrence of each name). */
  order: ChildInfo[];
  byName: Map<string, ChildInfo>;
  attributeNames: Set<string>;
  /**
   * The writer's caches, bounded: the key orders of objects already seen (the same shapes recur: every line of
   * every receipt), and the child sequences already proven valid.
   */
  plans: ShapePlan[];
  lastPlan: ShapePlan | null;
  sequences: SequenceNode;
  sequenceNodes: number;
}

const infos = new Map<string, TypeInfo>();

/** Scalar kinds that are free text: what `formatScalar`'s default branch handles. */
const TEXT_KINDS: ReadonlySet<string> = new Set(['STRTYPE', 'IDTYPE', 'MACROTYPE', 'UUIDTYPE', 'TIMEINTERVALTYPE']);

export function typeInfo(id: string): TypeInfo {
  let info = infos.get(id);
  if (info) return info;
  const def = COMPLEX_TYPES[id];
  if (!def) throw new Error(`No qbXML type ${id} in the generated tables`);
  const order: ChildInfo[] = [];
  const byName = new Map<string, ChildInfo>();
  const walk = (p: Particle, repeated: boolean): void => {
    if ('g' in p) {
      for (const child of p.p) walk(child, repeated || p.max > 1);
      return;
    }
    const existing = byName.get(p.n);
    if (existing) {
      existing.repeated = true;
      return;
    }
    const child: ChildInfo = {
      particle: p,
      repeated: repeated || p.max > 1,
      index: order.length,
      open: `<${p.n}>`,
      close: `</${p.n}>`,
      empty: `<${p.n}/>`,
      writeAs:
        p.t !== undefined ? 'object' : TEXT_KINDS.has(p.s!.k) ? 'text' : p.s!.k === 'ENUMTYPE' ? 'enum' : 'plain',
      info: null,
    };
    order.push(child);
    byName.set(p.n, child);
  };
  walk(def.c, false);
  info = {
    id,
    def,
    order,
    byName,
    attributeNames: new Set((def.a ?? []).map((a) => a.name)),
    plans: [],
    lastPlan: null,
    sequences: { valid: false, next: [] },
    sequenceNodes: 0,
  };
  infos.set(id, info);
  return info;
}

export function isMessageName(name: string): name is MessageName {
  return Object.hasOwn(MESSAGES, name);
}

export function messageDef(name: MessageName): { rq: string; rs: string } {
  return MESSAGES[name];
}

// ---------------------------------------------------------------------------------------------------------------
// Content-model matching

interface Facts {
  first: Set<string>;
  nullable: boolean;
}

const facts = new WeakMap<Particle, Facts>();

function factsOf(p: Particle): Facts {
  let f = facts.get(p);
  if (f) return f;
  if (!('g' in p)) {
    f = { first: new Set([p.n]), nullable: p.min === 0 };
  } else if (p.g === 'cho') {
    const first = new Set<string>();
    let nullable = p.min === 0;
    for (const child of p.p) {
      const cf = factsOf(child);
      for (const n of cf.first) first.add(n);
      if (cf.nullable) nullable = true;
    }
    f = { first, nullable };
  } else {
    const first = new Set<string>();
    let bodyNullable = true;
    for (const child of p.p) {
      const cf = factsOf(child);
      for (const n of cf.first) first.add(n);
      if (!cf.nullable) {
        bodyNullable = false;
        break;
      }
    }
    f = { first, nullable: p.min === 0 || bodyNullable };
  }
  facts.set(p, f);
  return f;
}

export interface MatchFailure {
  /** Index of the child where matching failed (names.length = at the end). */
  at: number;
  /** Element names that would have been accepted there. */
  expected: string[];
}

/** Matches `names` against one occurrence of `p`'s body; returns the new position or -1 (and records why). */
function matchOnce(p: Particle, names: readonly string[], pos: number, fail: MatchFailure): number {
  if (!('g' in p)) {
    if (names[pos] === p.n) return pos + 1;
    note(fail, pos, [p.n]);
    return -1;
  }
  if (p.g === 'cho') {
    const name = names[pos];
    for (const child of p.p) {
      const cf = factsOf(child);
      if (name !== undefined && cf.first.has(name)) return matchParticle(child, names, pos, fail);
    }
    for (const child of p.p) if (factsOf(child).nullable) return matchParticle(child, names, pos, fail);
    note(fail, pos, [...factsOf(p).first]);
    return -1;
  }
  let at = pos;
  for (const child of p.p) {
    at = matchParticle(child, names, at, fail);
    if (at < 0) return -1;
  }
  return at;
}

function matchParticle(p: Particle, names: readonly string[], pos: number, fail: MatchFailure): number {
  const f = factsOf(p);
  let count = 0;
  let at = pos;
  while (count < p.max) {
    const name = names[at];
    if (name === undefined || !f.first.has(name)) break;
    const next = matchOnce(p, names, at, fail);
    if (next < 0) return -1;
    if (next === at) break;
    at = next;
    count++;
  }
  if (count < p.min) {
    // The remaining occurrences must be able to match nothing.
    const next = matchOnce(p, names, at, fail);
    if (next !== at) {
      if (next >= 0) return next;
      return -1;
    }
  }
  return at;
}

function note(fail: MatchFailure, at: number, expected: string[]): void {
  if (at > fail.at) {
    fail.at = at;
    fail.expected = [...expected];
  } else if (at === fail.at) {
    for (const e of expected) if (!fail.expected.includes(e)) fail.expected.push(e);
  }
}

/** Checks child element names against a content model. Returns null when they match, else where and why not. */
export function matchContent(model: GroupParticle, names: readonly string[]): MatchFailure | null {
  const fail: MatchFailure = { at: -1, expected: [] };
  const end = matchParticle(model, names, 0, fail);
  if (end === names.length) return null;
  if (end >= 0) {
    // Matched a prefix; what comes next is not allowed here.
    return { at: end, expected: fail.at === end ? fail.expected : [] };
  }
  return fail.at < 0 ? { at: 0, expected: [] } : fail;
}

/** A readable description of a failed match, in the spirit of xmllint's messages. */
export function describeMismatch(parent: string, names: readonly string[], failure: MatchFailure): string {
  const expected = failure.expected.length > 0 ? ` Expected: ${failure.expected.join(', ')}.` : '';
  const found = names[failure.at];
  if (found === undefined) return `<${parent}>: missing child element.${expected}`;
  return `<${parent}>: element <${found}> is not expected here.${expected}`;
}
