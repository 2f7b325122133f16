import { type Logger, silentLogger } from '../../logger/index.ts';
import type { Storage } from '../../storage/index.ts';
import { SESSION_IDLE_MS, SESSION_TAKEOVER_MS } from '../session/index.ts';
import type { WebConnectorBackend } from '../soap/index.ts';
import '../session/index.ts';
import { authenticate } from './delivery-authenticate.ts';
import type { DeliveryContext } from './delivery-context.ts';
import { receiveResponseXML } from './delivery-receive.ts';
import { sendRequestXML } from './delivery-send.ts';
import { closeConnection, connectionError, getLastError, methodFailed } from './delivery-session-end.ts';

/**
 * The Web Connector backend that delivers the outbox to QuickBooks. Stateless per call: the session (found by its
 * hashed ticket), the message set it waits on, follow-up queries and iterators all live in the database, so any
 * number of server instances behind a load balancer can serve one Web Connector, and a server restarted mid-session
 * carries on.
 *
 * Exactly once: every message set is recorded (entries `sent`) before its qbXML leaves sendRequestXML, and carries
 * newMessageSetID = its id. A message set whose response never came back is never re-sent blindly: when it is the
 * last one this company file received, it goes again with oldMessageSetID, and QuickBooks answers with the stored
 * response instead of running it twice (qbXML error recovery; QuickBooks keeps the outcome of the last message set
 * per application); otherwise each of its adds is looked up in QuickBooks by identity (name, RefNumber/date, then
 * ExternalGUID) and adopted when found, re-sent only when QuickBooks confirms it is absent.
 */
export interface DeliveryBackendOptions {
  storage: Storage;
  logger?: Logger;
  clock?: () => Date;
  /** True while a sync run is still planning for this company file: the session answers NoOp instead of ending. */
  isPreparingWork?: (companyFileId: string) => Promise<boolean> | boolean;
  /** Requests per message set. QBWC gives each call a time budget; QuickBooks takes ~50–200 ms per add. */
  maxRequestsPerMessageSet?: number;
  /** Characters of qbXML per message set. */
  maxMessageSetLength?: number;
  /** A session that stops calling for this long is over (its Web Connector vanished). Default 10 minutes. */
  sessionIdleMs?: number;
  /** A new authenticate takes over an open session that has made no call for this long. Default 60 s. */
  sessionTakeoverMs?: number;
  /** Records per page of a query that pages through an iterator. Default 100. */
  queryPageSize?: number;
  /** What serverVersion answers. */
  version?: string;
}

const DEFAULT_MAX_REQUESTS = 25;
const DEFAULT_MAX_LENGTH = 2_000_000;

const DEFAULT_PAGE_SIZE = 100;

export function createDeliveryBackend(options: DeliveryBackendOptions): WebConnectorBackend {
  const ctx: DeliveryContext = {
    storage: options.storage,
    logger: options.logger ?? silentLogger,
    clock: options.clock ?? (() => new Date()),
    maxRequests: options.maxRequestsPerMessageSet ?? DEFAULT_MAX_REQUESTS,
    maxLength: options.maxMessageSetLength ?? DEFAULT_MAX_LENGTH,
    idleMs: options.sessionIdleMs ?? SESSION_IDLE_MS,
    takeoverMs: options.sessionTakeoverMs ?? SESSION_TAKEOVER_MS,
    pageSize: options.queryPageSize ?? DEFAULT_PAGE_SIZE,
    preparing: async (companyFileId: string) => (await options.isPreparingWork?.(companyFileId)) ?? false,
  };
  return {
    serverVersion: () => options.version ?? 'qbd-connector',
    clientVersion: () => '',
    authenticate: (userName, password) => authenticate(ctx, userName, password),
    sendRequestXML: (input) => sendRequestXML(ctx, input),
    receiveResponseXML: (input) => receiveResponseXML(ctx, input),
    connectionError: (input) => connectionError(ctx, input),
    getLastError: (ticket) => getLastError(ctx, ticket),
    closeConnection: (ticket) => closeConnection(ctx, ticket),
    methodFailed: (failure) => methodFailed(ctx, failure),
  };
}

export const DEFAULT_SESSION_IDLE_MS = SESSION_IDLE_MS;
