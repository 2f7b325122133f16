/**
 * The life of an outbox entry. Every state change goes through `assertTransition`, the one place the table below is
 * enforced; an illegal change is a bug in the caller and throws.
 *
 * pending ──lease──> leased ──sendRequestXML──> sent ──response──> applied
 *    ^                 │ (lease expired or session ended before sending)      │
 *    └─────────────────┘                                                      ├──> failed ──> retry_wait ──> pending
 *                                             sent ──response lost──> unknown ├──> needs_attention ──(fixed)──> pending
 *                                 unknown ──recovered response──> applied / failed / needs_attention / retry_wait
 *                                 unknown ──QuickBooks confirms it is absent──> pending
 * leased ──the request cannot be built (nothing sent)──> failed
 * pending, failed, retry_wait, needs_attention ──> cancelled ──(restored)──> pending
 *
 * `sent` and `unknown` can never go back to `pending` without an answer from QuickBooks: that is what stops a
 * request whose response was lost from being posted twice.
 */
export const OUTBOX_STATES = [
  'pending',
  'leased',
  'sent',
  'unknown',
  'applied',
  'failed',
  'retry_wait',
  'needs_attention',
  'cancelled',
] as const;

export type OutboxState = (typeof OUTBOX_STATES)[number];

export const OUTBOX_TRANSITIONS: Readonly<Record<OutboxState, readonly OutboxState[]>> = {
  pending: ['leased', 'cancelled'],
  leased: ['sent', 'pending', 'failed'],
  sent: ['applied', 'failed', 'unknown'],
  unknown: ['applied', 'failed', 'pending'],
  failed: ['retry_wait', 'needs_attention', 'pending', 'cancelled'],
  retry_wait: ['pending', 'cancelled'],
  needs_attention: ['pending', 'cancelled'],
  applied: [],
  cancelled: ['pending'],
};

/** States an entry can rest in with no one working on it and nothing scheduled. */
export const SETTLED_STATES: readonly OutboxState[] = ['applied', 'failed', 'needs_attention', 'cancelled'];

/** States in which a dependent entry can never become ready until someone acts: they block their dependents. */
export const BLOCKING_STATES: readonly OutboxState[] = ['failed', 'needs_attention', 'cancelled'];

/** States in which QuickBooks may have (or may be about to) receive the request. */
export const IN_FLIGHT_STATES: readonly OutboxState[] = ['leased', 'sent', 'unknown'];

export function isOutboxState(value: string): value is OutboxState {
  return (OUTBOX_STATES as readonly string[]).includes(value);
}

export function canTransition(from: OutboxState, to: OutboxState): boolean {
  return OUTBOX_TRANSITIONS[from].includes(to);
}

/** The one enforcement point of the transition table. */
export function assertTransition(from: OutboxState, to: OutboxState, what = 'outbox entry'): void {
  if (!canTransition(from, to)) {
    throw new Error(`Illegal outbox transition ${from} → ${to} for ${what}`);
  }
}
