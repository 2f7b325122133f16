/**
 * Reproducible random faults for the Web Connector simulator: each call draws from a seeded generator, so a seed
 * and the same probabilities replay the same schedule of faults call for call (as long as the service answers the
 * same way, which decides how many calls there are).
 *
 * - `lost-response`: QuickBooks applied the message set, but the receiveResponseXML carrying its response never
 *   reaches the service (the connection drops half-way through sending it).
 * - `partial-response`: the response reaching the service is short: either whole responses are missing from the
 *   end of the message set (well-formed qbXML that answers fewer requests than were sent) or the text is cut off
 *   mid-way (not well-formed).
 * - `garbage`: the SOAP call's body is not XML at all (any method).
 * - `timeout`: the service gets the call and does the work, but the Web Connector gave up waiting and never reads
 *   the answer (any method).
 * - `open-failure`: QuickBooks cannot be started when the session opens the company file (0x80040408), so the Web
 *   Connector reports it through connectionError (drawn once per session that gets as far as opening, from a
 *   generator of its own so that the calls' faults replay as they did before this kind existed).
 */
import type { WebConnectorMethod } from '../../qbwc/soap/index.ts';
import type { TransportFaultKind } from './transport.ts';

export const RANDOM_FAULT_KINDS = ['lost-response', 'partial-response', 'garbage', 'timeout', 'open-failure'] as const;
export type RandomFaultKind = (typeof RANDOM_FAULT_KINDS)[number];
export type FaultProbabilities = Partial<Record<RandomFaultKind, number>>;

/** mulberry32: a small, fast 32-bit generator whose whole state is the seed, so a run replays exactly. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Parses `kind:P,kind:P` (P a probability from 0 to 1 per eligible call); the error names what is wrong. */
export function parseFaultOption(text: string): { ok: true; value: FaultProbabilities } | { ok: false; error: string } {
  const value: FaultProbabilities = {};
  for (const part of text.split(',')) {
    const item = part.trim();
    if (item === '') continue;
    const match = /^([a-z-]+):([0-9]*\.?[0-9]+)$/.exec(item);
    if (!match) return { ok: false, error: `"${item}" is not kind:probability (for example lost-response:0.1).` };
    const kind = match[1] as RandomFaultKind;
    if (!RANDOM_FAULT_KINDS.includes(kind)) {
      return { ok: false, error: `"${match[1]}" is not a fault kind; use ${RANDOM_FAULT_KINDS.join(', ')}.` };
    }
    const probability = Number(match[2]);
    if (!(probability >= 0 && probability <= 1)) {
      return { ok: false, error: `The probability of ${kind} must be from 0 to 1, not ${match[2]}.` };
    }
    value[kind] = probability;
  }
  if (Object.keys(value).length === 0) return { ok: false, error: 'No fault given (for example lost-response:0.1).' };
  return { ok: true, value };
}

/** What one call suffers: a transport fault, and for receiveResponseXML possibly a shortened response. */
export interface FaultDecision {
  kind: RandomFaultKind;
  transport?: TransportFaultKind;
  /** Rewrites the qbXML response the call carries. */
  shorten?: (responseXml: string) => string;
}

export interface RandomFaultPlan {
  readonly seed: number;
  readonly probabilities: Readonly<FaultProbabilities>;
  /** How many faults of each kind were injected so far. */
  readonly injected: Readonly<Record<RandomFaultKind, number>>;
  /** Draws the fault (if any) for the next call of `method`. */
  next(method: WebConnectorMethod): FaultDecision | null;
  /** Draws whether the session's first attempt to open the company file fails (`open-failure`). */
  nextOpen(): boolean;
  /** A draw from the same generator, for callers that schedule their own faults reproducibly. */
  random(): number;
}

const TOP_LEVEL_RESPONSE = /<(?!QBXMLMsgsRs\b)(\w+Rs)\b[^>]*?(?:\/>|>[\s\S]*?<\/\1>)/g;

/** Keeps the first `keep` responses of a message set's response document. */
export function dropResponses(responseXml: string, keep: number): string {
  let index = 0;
  return responseXml.replace(TOP_LEVEL_RESPONSE, (whole) => (index++ < keep ? whole : ''));
}

export function countResponses(responseXml: string): number {
  return [...responseXml.matchAll(TOP_LEVEL_RESPONSE)].length;
}

export function createRandomFaultPlan(seed: number, probabilities: FaultProbabilities): RandomFaultPlan {
  const random = seededRandom(seed);
  const openRandom = seededRandom((seed ^ 0x9e3779b9) >>> 0);
  const injected: Record<RandomFaultKind, number> = {
    'lost-response': 0,
    'partial-response': 0,
    garbage: 0,
    timeout: 0,
    'open-failure': 0,
  };
  const hit = (kind: RandomFaultKind) => {
    const p = probabilities[kind] ?? 0;
    // Always draw, so a kind's probability being 0 does not shift the others' schedule.
    return random() < p;
  };
  return {
    seed,
    probabilities,
    injected,
    random,
    next(method) {
      const isResponse = method === 'receiveResponseXML';
      const lost = hit('lost-response');
      const partial = hit('partial-response');
      const garbage = hit('garbage');
      const timeout = hit('timeout');
      const shape = random();
      let decision: FaultDecision | null = null;
      if (isResponse && lost) decision = { kind: 'lost-response', transport: 'drop-connection' };
      else if (isResponse && partial) {
        decision = {
          kind: 'partial-response',
          shorten: (xml) => {
            const responses = countResponses(xml);
            // Half the time whole responses go missing (only when there is one to lose), else the text is cut.
            if (responses > 0 && shape < 0.5) return dropResponses(xml, Math.floor(shape * 2 * responses));
            return xml.slice(0, Math.floor(xml.length * (0.2 + 0.6 * shape)));
          },
        };
      } else if (garbage) decision = { kind: 'garbage', transport: 'garbage' };
      else if (timeout) decision = { kind: 'timeout', transport: 'time-out' };
      if (decision) injected[decision.kind]++;
      return decision;
    },
    nextOpen() {
      const fails = openRandom() < (probabilities['open-failure'] ?? 0);
      if (fails) injected['open-failure']++;
      return fails;
    },
  };
}
