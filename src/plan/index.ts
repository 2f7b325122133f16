/** Plan: accounting documents → outbox-ready qbXML requests with dependencies and deterministic identities. */
export {
  outboxInputs,
  PlanError,
  type PlannedRequest,
  type PlanOptions,
  planRequests,
  toQbxmlRequest,
} from './plan.ts';
