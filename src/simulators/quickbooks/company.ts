import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { parseRequestDocument } from '../../qbxml/index.ts';
import { Books, type Clock, type CreateCompanyOptions, type ListLimits } from './books.ts';
import type { Edition, LedgerLine } from './company-file.ts';
import { type ExecutorState, type FaultState, type ProcessResult, processDocument } from './executor.ts';
import { processorLevel, productNameOf, QUICKBOOKS_PROFILES, type QuickBooksProfile } from './profiles.ts';
import type { QbObject } from './qb-object.ts';
import * as reports from './reports.ts';

/** What QBXMLRP2 gives the Web Connector (docs/architecture.md). */
export interface QuickBooksRequestProcessor {
  open(companyFile: string): { ok: true } | { ok: false; hresult: string; message: string };
  ensureFileId(ownerID: string, fileID: string): void;
  hostCompanyPreferences(ownerID: string): string;
  processRequest(requestXml: string): ProcessResult;
  /** The request processor's qbXML level and country, as QBWC passes them to sendRequestXML. */
  requestProcessorVersion(): { country: string; major: number; minor: number };
  close(): void;
}

export interface OpenCompanyOptions extends CreateCompanyOptions {
  clock?: Clock;
  /** Which QuickBooks opens the file (product, country, qbXML versions); default the US 2024 release. */
  profile?: QuickBooksProfile;
  /** How long an iterator lives without being continued. QuickBooks keeps it for the session; default 30 min. */
  iteratorLifetimeMs?: number;
}

export type OpenRefusal = 'in-use' | 'busy' | 'not-found';

export interface QuickBooksCompany extends QuickBooksRequestProcessor {
  readonly path: string;
  readonly edition: Edition;
  readonly companyName: string;
  trialBalance(asOf?: string): reports.TrialBalance;
  profitAndLoss(from?: string, to?: string): reports.ProfitAndLoss;
  balanceSheet(asOf?: string): reports.BalanceSheet;
  inventoryValuation(): reports.InventoryValuationRow[];
  generalLedger(account: string, from?: string, to?: string): LedgerLine[];
  /** What open sales orders would post to an account (they are non-posting): the open-sales-orders report. */
  openSalesOrders(account: string, from?: string, to?: string): LedgerLine[];
  reportText(kind: 'trial-balance' | 'profit-and-loss' | 'balance-sheet' | 'inventory-valuation'): string;
  faults: {
    /** The next document is applied but its response is lost (processRequest answers with an HRESULT). */
    loseNextResponse(): void;
    /** open() refuses until cleared: 'in-use' (another user has the file in single-user mode) or 'busy'. */
    refuseOpen(reason: OpenRefusal | null): void;
    /** The next `requests` requests that name this ListID/TxnID fail with 3175 (in use) or 3176 (locked). */
    lockRecord(id: string, requests: number, code?: 3175 | 3176): void;
    /** The next `requests` requests that add, change or delete anything fail with 3175, 3176 or 3180. */
    busy(requests: number, code: 3175 | 3176 | 3180): void;
    /** Wait this long before answering each document. */
    slowDown(ms: number): void;
    /** The next `times` Mods of this ListID/TxnID find it just saved by another QuickBooks user (3200). */
    editConcurrently(id: string, times: number): void;
  };
  /** Test hook: lower the list limits so reaching them stays fast. */
  setListLimits(limits: Partial<ListLimits>): void;
  /**
   * What a QuickBooks user does in Edit > Preferences > Sales Tax > Company Preferences: choose the "most common
   * sales tax item" (qbXML reads the preference but cannot change it).
   */
  setMostCommonSalesTaxItem(name: string): void;
}

/**
 * HRESULTs QBXMLRP2 raises when it cannot begin a session (research/qbwc-qbxml.md §1.3 and Intuit's samples):
 * 0x80040408 "could not start QuickBooks", 0x80040410 the file is open in a mode that forbids it,
 * 0x80040401 could not access QuickBooks.
 */
const OPEN_REFUSALS: Record<OpenRefusal, { hresult: string; message: string }> = {
  'in-use': {
    hresult: '0x80040410',
    message:
      'The QuickBooks company data file is currently open in a mode other than the one specified by your application.',
  },
  busy: { hresult: '0x80040401', message: 'Could not access QuickBooks: QuickBooks is busy (a modal window is open).' },
  'not-found': { hresult: '0x80040408', message: 'Could not start QuickBooks: the company file could not be found.' },
};

/** Opens (creating when absent) a company file and returns the simulator's QuickBooks for it. */
export function openCompany(path: string, options: OpenCompanyOptions = {}): QuickBooksCompany {
  const clock = options.clock ?? { now: () => new Date() };
  const books = Books.create(path, options, clock);
  const profile = options.profile ?? QUICKBOOKS_PROFILES.us;
  const faults: FaultState = {
    locks: new Map(),
    busy: null,
    loseNextResponse: false,
    delayMs: 0,
    concurrentEdits: new Map(),
  };
  let refusal: OpenRefusal | null = null;
  const state: ExecutorState = {
    books,
    iterators: new Map(),
    faults,
    iteratorLifetimeMs: options.iteratorLifetimeMs ?? 30 * 60 * 1000,
    hostInfo: (): QbObject => ({
      ProductName: productNameOf(profile, books.settings.edition),
      MajorVersion: profile.majorVersion,
      MinorVersion: '0',
      Country: profile.country,
      SupportedQBXMLVersion: [...profile.qbxmlVersions],
      IsAutomaticLogin: 'false',
      QBFileMode: 'SingleUser',
    }),
  };
  let closed = false;
  let appLockOwner: string | null = null;
  // .NET DateTime ticks (100 ns since 0001-01-01), as QBWC writes them.
  const appLock = (state: 'LOCKED' | 'UNLOCKED') =>
    `${state}:${
      hostname()
        .toUpperCase()
        .replace(/[^A-Z0-9-]/g, '')
        .slice(0, 15) || 'COMPUTER'
    }:${(BigInt(clock.now().getTime()) + 62_135_596_800_000n) * 10_000n}`;

  const company: QuickBooksCompany = {
    path,
    get edition() {
      return books.settings.edition;
    },
    get companyName() {
      return books.settings.companyName;
    },
    open(companyFile) {
      if (refusal) return { ok: false, ...OPEN_REFUSALS[refusal] };
      if (companyFile !== '' && companyFile !== path && !existsSync(companyFile)) {
        return { ok: false, ...OPEN_REFUSALS['not-found'] };
      }
      state.iterators.clear();
      return { ok: true };
    },
    ensureFileId(ownerID, fileID) {
      // QBWC also keeps an AppLock beside the FileID, under the same OwnerID, "LOCKED:<computer>:<.NET ticks>" while
      // it works with the file (wire r02: LOCKED:ACCOUNTING:633508623553265188), "UNLOCKED:…" after.
      appLockOwner = ownerID;
      books.file.setDataExtValue(ownerID, 'AppLock', 'Company', appLock('LOCKED'));
      if (books.file.dataExtValue(ownerID, 'FileID', 'Company') === null) {
        books.file.setDataExtValue(ownerID, 'FileID', 'Company', fileID);
      }
    },
    hostCompanyPreferences(ownerID) {
      // QBWC asks in the processor's own version, the one it passes to sendRequestXML.
      const version = profile.qbxmlVersions[profile.qbxmlVersions.length - 1]!;
      const request =
        `<?xml version="1.0"?><?qbxml version="${version}"?><QBXML><QBXMLMsgsRq onError="continueOnError">` +
        '<HostQueryRq requestID="0"/><CompanyQueryRq requestID="1"><OwnerID>' +
        ownerID.replace(/[<>&"]/g, '') +
        '</OwnerID></CompanyQueryRq><PreferencesQueryRq requestID="2"/></QBXMLMsgsRq></QBXML>';
      const parsed = parseRequestDocument(request);
      if (!parsed.ok) throw new Error(`Bug: the HCP request does not parse: ${parsed.error.detail}`);
      const result = processDocument(state, request, { injectFaults: false, versions: profile.qbxmlVersions });
      if (!result.ok) throw new Error(`Bug: the HCP queries failed: ${result.hresult} ${result.message}`);
      return result.responseXml;
    },
    processRequest(requestXml) {
      if (closed)
        return { ok: false, hresult: '0x80040401', message: 'Could not access QuickBooks: the session is closed.' };
      return processDocument(state, requestXml, { versions: profile.qbxmlVersions });
    },
    requestProcessorVersion: () => processorLevel(profile),
    close() {
      if (closed) return;
      closed = true;
      if (appLockOwner !== null) books.file.setDataExtValue(appLockOwner, 'AppLock', 'Company', appLock('UNLOCKED'));
      books.file.close();
    },
    trialBalance: (asOf) => reports.trialBalance(books, asOf),
    profitAndLoss: (from, to) => reports.profitAndLoss(books, from, to),
    balanceSheet: (asOf) => reports.balanceSheet(books, asOf),
    inventoryValuation: () => reports.inventoryValuation(books),
    generalLedger: (account, from, to) => reports.generalLedger(books, account, from, to),
    openSalesOrders: (account, from, to) => reports.openSalesOrderLedger(books, account, from, to),
    reportText(kind) {
      const name = books.settings.companyName;
      switch (kind) {
        case 'trial-balance':
          return reports.trialBalanceText(reports.trialBalance(books), name);
        case 'profit-and-loss':
          return reports.profitAndLossText(reports.profitAndLoss(books), name);
        case 'balance-sheet':
          return reports.balanceSheetText(reports.balanceSheet(books), name);
        case 'inventory-valuation':
          return reports.inventoryValuationText(reports.inventoryValuation(books), name);
      }
    },
    faults: {
      loseNextResponse() {
        faults.loseNextResponse = true;
      },
      refuseOpen(reason) {
        refusal = reason;
      },
      lockRecord(id, requests, code = 3175) {
        faults.locks.set(id, { remaining: requests, code });
      },
      busy(requests, code) {
        faults.busy = requests > 0 ? { remaining: requests, code } : null;
      },
      slowDown(ms) {
        faults.delayMs = ms;
      },
      editConcurrently(id, times) {
        faults.concurrentEdits.set(id, times);
      },
    },
    setListLimits(limits) {
      books.setLimits(limits);
    },
    setMostCommonSalesTaxItem(name) {
      books.setMostCommonSalesTaxItem(name);
    },
  };
  return company;
}
