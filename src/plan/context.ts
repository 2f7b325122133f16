/**
 * What a kind's `plan` asks while it builds a body (`PlanContext`): the names of list records, the mapped accounts,
 * links to other documents — and, as it asks, the dependencies of the request are collected.
 */
import { externalGuidFor } from '../domain/index.ts';
import type {
  AccountMapping,
  Category,
  ListRecord,
  NameRef,
  PlanContext,
  TransactionDocument,
} from '../transform/index.ts';
import { txnIdOf, txnLineIdOf } from './references.ts';

/** The documents ask for something the plan cannot give: a bug in the connector, never a merchant problem. */
export class PlanError extends Error {}

/** A kind's view of the plan while it plans one request, with the dependencies it collected. */
export interface PlanScope extends PlanContext {
  readonly dependsOn: string[];
}

export interface PlanContexts {
  /** Planning a list record: a dependency on a record that is not planned is left out (it is in QuickBooks). */
  forList(key: string): PlanScope;
  /** Planning a document: every record it names must be planned or already in QuickBooks. */
  forDocument(key: string): PlanScope;
}

export function planContexts(
  lists: readonly ListRecord[],
  documents: readonly TransactionDocument[],
  mapping: AccountMapping,
  existing: ReadonlySet<string>,
  salesOrderOf: ReadonlyMap<string, string> | undefined,
): PlanContexts {
  const byKey = new Map<string, ListRecord>();
  for (const record of lists) byKey.set(record.key, record);
  const accountKeyOf = new Map<Category, string>();
  for (const record of lists) if (record.kind === 'account') accountKeyOf.set(record.category, record.key);
  const documentKeys = new Set(documents.map((d) => d.key));

  const scope = (key: string, need: (dependsOn: string[], key: string | null | undefined) => void): PlanScope => {
    const dependsOn: string[] = [];
    return {
      key,
      guid: externalGuidFor(key),
      mapping,
      dependsOn,
      need: (wanted) => need(dependsOn, wanted),
      needAccount: (category) => {
        if (category) need(dependsOn, accountKeyOf.get(category));
      },
      account: (category): NameRef => ({ FullName: mapping[category] }),
      ref: (wanted): NameRef => {
        const record = byKey.get(wanted);
        if (!record) throw new PlanError(`No list record ${wanted}`);
        return { FullName: record.name };
      },
      record: (wanted) => byKey.get(wanted),
      // A document whose TxnID this one carries: planned now or in an earlier sync, applied before this is sent.
      linkTo: (target) => {
        if (target === key) throw new PlanError(`${key} cannot link to itself`);
        if (!dependsOn.includes(target)) dependsOn.push(target);
        return txnIdOf(target);
      },
      linkToLine: (target, line) => {
        if (target === key) throw new PlanError(`${key} cannot link to itself`);
        if (!dependsOn.includes(target)) dependsOn.push(target);
        return { TxnID: txnIdOf(target), TxnLineID: txnLineIdOf(target, line) };
      },
      salesOrderOf: (invoiceKey) => salesOrderOf?.get(invoiceKey),
      fail: (message) => {
        throw new PlanError(message);
      },
    };
  };

  const listNeed = (dependsOn: string[], wanted: string | null | undefined) => {
    if (wanted && !existing.has(wanted) && byKey.has(wanted) && !dependsOn.includes(wanted)) dependsOn.push(wanted);
  };
  const documentNeed = (key: string) => (dependsOn: string[], wanted: string | null | undefined) => {
    if (!wanted || existing.has(wanted) || dependsOn.includes(wanted)) return;
    if (!documentKeys.has(wanted) && !byKey.has(wanted))
      throw new PlanError(`${key} refers to ${wanted}, which is not planned`);
    dependsOn.push(wanted);
  };
  return {
    forList: (key) => scope(key, listNeed),
    forDocument: (key) => scope(key, documentNeed(key)),
  };
}
