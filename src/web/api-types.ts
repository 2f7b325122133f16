/** The JSON the connector's API answers, as the admin app reads it (times are ISO-8601 strings). */

export interface ShopSummary {
  domain: string;
  name: string;
  currency: string;
  timeZone: string;
}

export type SetupStep = 'appToken' | 'connect' | 'salesTax' | 'options' | 'start';

export type SyncSchedule = { kind: 'manual' } | { kind: 'daily'; localTime: string };
export type ModeChoice = 'summary' | 'detailed';
export interface Modes {
  customers: ModeChoice;
  inventory: ModeChoice;
  vendors: ModeChoice;
}

export interface SalesTaxCheck {
  status: 'pass' | 'fix';
  mostCommonItem?: string;
  problems?: { code: string; message: string }[];
  zeroRateItem?: string | null;
  offerToCreate?: { name: string } | null;
}

export interface SetupStatus {
  shop: ShopSummary & { id: string };
  integration: {
    state: 'new' | 'paired' | 'configured' | 'started';
    options: {
      mapping: Record<string, string>;
      schedule: SyncSchedule;
      modes: Modes;
      startDate: string;
      purchaseOrderSource: { kind: 'shopify' | 'stocky' };
    } | null;
    taxCheck: { result: SalesTaxCheck; checkedAt: string } | null;
    startedAt: string | null;
  };
  companyFile: {
    id: string;
    webConnectorUserName: string;
    boundCompany: { companyName: string; edition: string; version: string } | null;
    lastLoginAt: string | null;
    lockedUntil: string | null;
  } | null;
  steps: { step: SetupStep; title: string; done: boolean; detail: string }[];
  next: SetupStep | null;
}

export interface IssuedToken {
  appToken: string;
  userName: string;
  qwc: string;
}

export interface QuickBooksAccount {
  fullName: string;
  type: string;
}

export interface AccountProposal {
  category: string;
  name: string;
  fullName: string;
  parentFullName: string | null;
  type: string;
}

export interface OptionsProposal {
  accounts: QuickBooksAccount[];
  mapping: Record<string, string>;
  accountsToCreate: AccountProposal[];
  listCounts: { customers: number; vendors: number; items: number } | null;
  categories: { category: string; types: string[] }[];
  stocky: StockyOffer;
  /** The Shopify history read so far, by local day, so a start date can be shown with what it includes. */
  startDate?: {
    startDate: string | null;
    history: { orders: number; refunds: number; payouts: number; firstDate: string | null; lastDate: string | null };
    byDate: { date: string; orders: number; refunds: number; payouts: number }[];
  };
}

/** GET …/setup/list-projection: the 14,500 rule per list for the choices on screen, before saving. */
export interface DetailedVerdict {
  creates: number;
  projected: number;
  projectedNames: number | null;
  limit: number | null;
  listLimit: number | null;
  allowed: boolean;
}

export type ListName = 'customers' | 'inventory' | 'vendors';

export interface ListProjection {
  edition: 'pro' | 'premier' | 'enterprise';
  limits: { names: number; namesPerList: number; items: number } | null;
  quickbooks: { names: number; customers: number; vendors: number; items: number };
  lists: Record<ListName, DetailedVerdict>;
  modes: Modes;
  fits: boolean;
}

/** Whether Stocky is offered (only to stores that still hold Stocky data) and what Stocky answered the saved key. */
export interface StockyOffer {
  offered: boolean;
  reasons: ('key-saved' | 'records-read' | 'address-configured')[];
  shutDownOn: string;
  answer:
    | { state: 'answers' }
    | { state: 'refused' | 'shut-down' | 'unavailable'; code: string; message: string }
    | null;
}

export interface MappingProblem {
  category: string | null;
  problem: string;
  text: string;
}

export interface SyncRun {
  id: string;
  trigger: 'manual' | 'schedule' | 'start';
  state: 'preparing' | 'delivering' | 'completed' | 'completed_with_attention' | 'failed';
  summary: { planned: number; documents: number; alreadyPlanned: number } | null;
  error: { code: string; merchantMessage?: string; message: string } | null;
  startedAt: string;
  plannedAt: string | null;
  finishedAt: string | null;
}

export interface OutboxProgress {
  planned: number;
  inFlight: number;
  applied: number;
  failed: number;
  needsAttention: number;
  remaining: number;
  byState: Record<string, number>;
}

export interface SyncProgress {
  run: SyncRun;
  outbox: OutboxProgress;
}

export interface AttentionItem {
  id: number | string;
  type?: string;
  what: string;
  key: string;
  /** The state behind it: an outbox state, `failed`/`interrupted` for a sync, `locked-out`, `absent`, `held-back`. */
  state?: string;
  reason: string;
  whatToDo?: string;
  code: string | null;
  retryable?: boolean;
  since: string;
}

export interface WebConnectorContact {
  lastContactAt: string | null;
  nextExpectedAt: string | null;
  intervalMinutes: number;
  lockedUntil: string | null;
  sessions: {
    startedAt: string;
    lastSeenAt: string;
    state: string;
    applied: number;
    failed: number;
    lastError: string | null;
  }[];
}

export interface SettingsAfterStart {
  mapping: Record<string, string>;
  accountsToCreate: AccountProposal[];
  schedule: SyncSchedule;
  nextScheduledRun: string | null;
  accounts: QuickBooksAccount[];
  proposedNewAccounts: AccountProposal[];
  categories: { category: string; types: string[] }[];
  changeable: string[];
  locked: { setting: string; value: unknown }[];
}

export interface DocumentRow {
  id: number | string;
  key: string;
  kind: string;
  label: string;
  /** Its name in QuickBooks (a list record's own, or the customer or vendor of a transaction); never a ListID. */
  name?: string | null;
  /** The document's own date; null for list records (customers, items, accounts…), which have none. */
  date: string | null;
  amount: string | null;
  currency: string;
  shopifyOrder: { id: string; name: string; adminUrl: string } | null;
  quickbooks: { id: string; refNumber: string | null } | null;
  state: string;
  stateLabel: string;
  updatedAt: string;
  attention: { reason: string; code: string; whatToDo: string } | null;
}

export interface DocumentsPage {
  documents: DocumentRow[];
  nextCursor: string | null;
  total: number;
}

/** Figures per category; keys may grow (duties, fees): render whatever arrives. */
export type Figures = Record<string, string | Record<string, string>>;

export interface Reconciliation {
  state: 'ready';
  asOf: string;
  period: { from: string; to: string };
  shopify: Figures;
  quickbooks: Figures;
  differences: { category: string; shopify: string; quickbooks: string }[];
  /** Orders held back for damaged data: in neither column. Their total is as Shopify wrote it (maybe not a number). */
  heldBack?: { order: string; date: string; code: string; total: string; currency: string; reason: string }[];
  days: {
    date: string;
    shopify: Figures;
    quickbooks: Figures;
    differences: { category: string; shopify: string; quickbooks: string }[];
  }[];
}

export interface ReconciliationWaiting {
  state: 'waiting';
  requestedAt: string;
  message: string;
}
