export type { ProcessorFailure, QuickBooksRequestProcessor } from './processor.ts';
export {
  countResponses,
  createRandomFaultPlan,
  dropResponses,
  type FaultProbabilities,
  parseFaultOption,
  RANDOM_FAULT_KINDS,
  type RandomFaultKind,
  type RandomFaultPlan,
  seededRandom,
} from './random-faults.ts';
export { reopeningProcessor } from './reopening.ts';
export {
  runWebConnectorSchedule,
  runWebConnectorSession,
  type SessionCallRecord,
  type SessionLog,
  type SessionOutcome,
  type TransportFault,
  type WebConnectorScheduleOptions,
  type WebConnectorSessionOptions,
} from './session.ts';
export {
  type CallOutcome,
  callWebConnectorMethod,
  createAgent,
  type TransportFaultKind,
  WEB_CONNECTOR_USER_AGENT,
} from './transport.ts';
