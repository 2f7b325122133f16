/**
 * When to try a failed request again. QuickBooks' transient failures (3170/3175/3176/3180: record or list in use,
 * file locked by another user) clear when the other user moves on, so the wait grows exponentially from seconds to
 * an hour, with jitter so several company files failing together do not retry in lockstep. Attempts are bounded:
 * past `maxAttempts` an entry stays `failed` and is shown to the merchant.
 */
export interface RetryPolicy {
  /** Sends allowed in total, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000 };

/**
 * Delay before the next attempt after `attempts` sends have failed (attempts ≥ 1): base × 2^(attempts−1), capped,
 * then scaled into [50 %, 100 %] by `random` (equal jitter, so the wait never collapses to zero).
 */
export function retryDelayMs(
  attempts: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random = Math.random,
): number {
  if (!Number.isInteger(attempts) || attempts < 1) throw new RangeError(`attempts must be ≥ 1, got ${attempts}`);
  const exponential = policy.baseDelayMs * 2 ** Math.min(attempts - 1, 30);
  const capped = Math.min(policy.maxDelayMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}

export function attemptsLeft(attempts: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): boolean {
  return attempts < policy.maxAttempts;
}
