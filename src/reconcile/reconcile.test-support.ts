/** The reconciliation as the app asks for it: answered from QuickBooks, a Web Connector session run when it waits. */
import assert from 'node:assert/strict';
import type { Harness } from '../e2e/harness.test-support.ts';
import type { ReconciliationAnswer } from './service.ts';

export type ReadyReconciliation = Extract<ReconciliationAnswer, { state: 'ready' }>;

export async function reconciled(
  h: Harness,
  period: { from: string; to: string } = h.period(),
): Promise<ReadyReconciliation> {
  const path = `/api/shops/${h.shop.domain}/reconciliation?from=${period.from}&to=${period.to}`;
  let response = await h.api(path);
  if (response.status === 202) {
    await response.body?.cancel();
    assert.equal((await h.session()).outcome, 'completed');
    response = await h.api(path);
  }
  const body = (await response.json()) as ReadyReconciliation;
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}
