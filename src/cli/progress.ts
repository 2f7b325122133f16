/**
 * Progress of long work for a person watching: on a terminal one line redrawn in place (a bar when the total is
 * known), with a permanent line as each part finishes; elsewhere (a log file, a pipe) the same permanent lines
 * and, while a part runs, a plain line every `periodMs`. Nothing here changes what the work does.
 */
import type { Writable } from 'node:stream';
import type { SyncProgressEvent } from '../sync/index.ts';

export function isTty(stream: Writable): boolean {
  return (stream as Writable & { isTTY?: boolean }).isTTY === true;
}

const number = new Intl.NumberFormat('en-US');
export const count = (n: number) => number.format(n);

export function seconds(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

export function bar(done: number, total: number, width = 20): string {
  const filled = total <= 0 ? width : Math.max(0, Math.min(width, Math.floor((done / total) * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

const ENTITY_WORDS: Record<string, [string, string]> = {
  shop: ['shop record', 'shop records'],
  locations: ['location', 'locations'],
  customers: ['customer', 'customers'],
  products: ['product', 'products'],
  orders: ['order', 'orders'],
  payouts: ['payout', 'payouts'],
  balanceTransactions: ['payment transaction', 'payment transactions'],
  purchaseOrders: ['purchase order or transfer', 'purchase orders and transfers'],
};

function entityWords(entity: string, n: number): string {
  const [one, many] = ENTITY_WORDS[entity] ?? [entity, entity];
  return `${count(n)} ${n === 1 ? one : many}`;
}

interface EntityState {
  seen: number;
  total: number | null;
  startedAt: number;
  waitedMs: number;
}

export interface ProgressDisplayOptions {
  stream: Writable;
  tty?: boolean;
  /** Plain mode: how often a line is printed while a part runs (default 10 s). */
  periodMs?: number;
  now?: () => number;
}

/** Follows one sync's (or one history read's) progress events and shows them. Call `finish` when it returns. */
export class ProgressDisplay {
  readonly #stream: Writable;
  readonly #tty: boolean;
  readonly #now: () => number;
  readonly #timer: ReturnType<typeof setInterval> | null;
  #entity: string | null = null;
  #entityState: EntityState | null = null;
  #bulk: { status: string; objects: number } | null = null;
  #waitUntil = 0;
  #waitReason: 'rate-limit' | 'retry' = 'rate-limit';
  #stage: { name: string; startedAt: number } | null = null;
  #drawn = '';
  #lastDraw = 0;
  /** Time spent waiting for Shopify over the whole watch. */
  waitedMs = 0;

  constructor(options: ProgressDisplayOptions) {
    this.#stream = options.stream;
    this.#tty = options.tty ?? isTty(options.stream);
    this.#now = options.now ?? Date.now;
    const period = options.periodMs ?? 10_000;
    this.#timer = this.#tty ? null : setInterval(() => this.#plainTick(), period);
    this.#timer?.unref?.();
  }

  handle = (event: SyncProgressEvent): void => {
    const now = this.#now();
    switch (event.type) {
      case 'waiting':
        this.waitedMs += event.ms;
        if (this.#entityState) this.#entityState.waitedMs += event.ms;
        this.#waitUntil = now + event.ms;
        this.#waitReason = event.reason;
        break;
      case 'bulk':
        this.#bulk = { status: event.status, objects: event.objects };
        break;
      case 'entity':
        if (event.done) {
          this.#finishEntity(event.entity, event.seen, now);
          return;
        }
        if (this.#entity !== event.entity) {
          this.#entity = event.entity;
          this.#entityState = { seen: event.seen, total: event.total, startedAt: now, waitedMs: 0 };
          this.#bulk = null;
        } else if (this.#entityState) {
          this.#entityState.seen = event.seen;
          if (event.total !== null) this.#entityState.total = event.total;
        }
        break;
      case 'stage':
        if (event.done) {
          const took = this.#stage ? now - this.#stage.startedAt : 0;
          this.#stage = null;
          this.#permanent(stageDone(event.stage, event.count ?? 0, took));
          return;
        }
        this.#stage = { name: event.stage, startedAt: now };
        break;
    }
    this.#draw(now);
  };

  /** Ends the display (clears the line being redrawn, stops the plain-mode timer). */
  finish(): void {
    if (this.#timer) clearInterval(this.#timer);
    if (this.#tty && this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = '';
  }

  /** The line shown while something runs. */
  current(now = this.#now()): string | null {
    const waiting =
      this.#waitUntil - now >= 100
        ? ` · waiting ${seconds(this.#waitUntil - now)} for Shopify${this.#waitReason === 'rate-limit' ? '’s rate limit' : ' to answer again'}`
        : '';
    if (this.#stage) {
      const words: Record<string, string> = {
        transform: 'Making the accounting documents from the Shopify data',
        plan: 'Planning the QuickBooks requests',
        queue: 'Queueing the requests for the Web Connector',
      };
      return `${words[this.#stage.name] ?? this.#stage.name}… (${seconds(now - this.#stage.startedAt)})`;
    }
    if (!this.#entity || !this.#entityState) return null;
    const state = this.#entityState;
    const [, many] = ENTITY_WORDS[this.#entity] ?? [this.#entity, this.#entity];
    const counted =
      state.total !== null && state.total > 0
        ? `${bar(state.seen, state.total)} ${many} ${count(Math.min(state.seen, state.total))}/${count(state.total)}`
        : `${many}: ${count(state.seen)}`;
    const bulk = this.#bulk
      ? this.#bulk.status === 'DOWNLOADING'
        ? ` · reading the export (${count(this.#bulk.objects)} objects)`
        : this.#bulk.status === 'COMPLETED'
          ? ` · Shopify exported ${count(this.#bulk.objects)} objects`
          : ` · Shopify is exporting them (${this.#bulk.status.toLowerCase()}, ${count(this.#bulk.objects)} objects so far)`
      : '';
    return `Reading Shopify ${counted}${bulk}${waiting}`;
  }

  #finishEntity(entity: string, seen: number, now: number): void {
    const state = this.#entity === entity ? this.#entityState : null;
    const took = state ? now - state.startedAt : 0;
    const waited = state && state.waitedMs > 0 ? `, ${seconds(state.waitedMs)} of it waiting for Shopify` : '';
    const bulk = this.#entity === entity && this.#bulk ? ' through a bulk export' : '';
    this.#entity = null;
    this.#entityState = null;
    this.#bulk = null;
    this.#permanent(`Read ${entityWords(entity, seen)} from Shopify${bulk} (${seconds(took)}${waited}).`);
  }

  #permanent(line: string): void {
    if (this.#tty && this.#drawn) this.#stream.write('\r\x1b[K');
    this.#drawn = '';
    this.#stream.write(`${line}\n`);
  }

  #draw(now: number): void {
    if (!this.#tty) return;
    // A redraw at most every 100 ms: a fast pull sends thousands of events.
    if (now - this.#lastDraw < 100 && this.#drawn) return;
    const line = this.current(now);
    if (line === null || line === this.#drawn) return;
    this.#lastDraw = now;
    this.#drawn = line;
    this.#stream.write(`\r${line}\x1b[K`);
  }

  #plainTick(): void {
    const line = this.current();
    if (line !== null) this.#stream.write(`${line}\n`);
  }
}

function stageDone(stage: string, n: number, took: number): string {
  switch (stage) {
    case 'transform':
      return `Made ${count(n)} accounting document(s) and list record(s) from the Shopify data (${seconds(took)}).`;
    case 'plan':
      return `Planned ${count(n)} QuickBooks request(s) from them (${seconds(took)}).`;
    default:
      return `Queued ${count(n)} new request(s) for the Web Connector (${seconds(took)}).`;
  }
}

/** The outbox counts a delivery display compares over time (from the outbox's `progress`). */
export interface DeliveryCounts {
  byState: Record<string, number>;
  remaining: number;
}

export interface Delivered {
  /** Answered by QuickBooks (or given up) since the start of the watch. */
  delivered: number;
  total: number;
  applied: number;
  needsAttention: number;
  failed: number;
  remaining: number;
}

/**
 * Delivery since `baseline`: what was waiting then (and whatever was queued since) against what QuickBooks has
 * answered since. The numbers add up whatever else happens meanwhile: total = delivered + remaining.
 */
export function deliveredSince(baseline: DeliveryCounts, now: DeliveryCounts): Delivered {
  const settled = (c: DeliveryCounts) =>
    (c.byState.applied ?? 0) + (c.byState.failed ?? 0) + (c.byState.needs_attention ?? 0) + (c.byState.cancelled ?? 0);
  const delta = (state: string) => (now.byState[state] ?? 0) - (baseline.byState[state] ?? 0);
  const delivered = Math.max(0, settled(now) - settled(baseline));
  return {
    delivered,
    total: delivered + now.remaining,
    applied: Math.max(0, delta('applied')),
    needsAttention: Math.max(0, delta('needs_attention')),
    failed: Math.max(0, delta('failed')),
    remaining: now.remaining,
  };
}

export function deliveryLine(d: Delivered, tty: boolean): string {
  const counts = `${count(d.applied)} in QuickBooks · ${count(d.needsAttention)} need attention · ${count(d.failed)} failed`;
  return tty
    ? `${bar(d.delivered, d.total)} ${count(d.delivered)}/${count(d.total)} delivered · ${counts}`
    : `Delivered ${count(d.delivered)} of ${count(d.total)}: ${counts}; ${count(d.remaining)} still to deliver.`;
}
