/** Plan: accounting documents → outbox-ready qbXML requests with dependencies and deterministic identities. */
export {
  outboxInputs,
  PlanError,
  type PlannedRequest,
  type PlanOptions,
  planRequests,
  removalInput,
  storableBody,
  toQbxmlRequest,
} from './plan.ts';
export {
  isTxnIdReference,
  isTxnLineIdReference,
  referencedKeys,
  referencedLines,
  resolveTxnIdReferences,
  type TxnIdReference,
  type TxnLineIdReference,
  txnIdOf,
  txnLineIdOf,
} from './references.ts';
