/** Plan: accounting documents → outbox-ready qbXML requests with dependencies and deterministic identities. */
export { PlanError, type PlannedRequest, type PlanOptions, planRequests, toQbxmlRequest } from './plan.ts';
