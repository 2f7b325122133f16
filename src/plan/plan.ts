/**
 * Plan: accounting documents → outbox-ready qbXML requests. Bodies use Intuit's element names (they are the
 * data); the qbXML builder puts them in schema order. List records come before the transactions that use them
 * (dependencies and priority), and every add carries ExternalGUID = externalGuidFor(key) where the schema has it,
 * so a record or transaction found in QuickBooks can always be recognised as the connector's own.
 */
import { externalGuidFor } from '../domain/identity.ts';
import { formatMoney } from '../domain/money.ts';
import type { EnqueueInput } from '../outbox/index.ts';
import type { MessageName, QbxmlRequest } from '../qbxml/index.ts';
import {
  type AccountingDocument,
  type AccountMapping,
  type Category,
  cleanName,
  ITEM_NAME_MAX,
  type ListRecord,
  type SalesLine,
  type TransactionDocument,
} from '../transform/index.ts';
import { txnIdOf } from './references.ts';

export interface PlannedRequest {
  /** The document key (unique; the outbox's identity for the request). */
  key: string;
  kind: AccountingDocument['kind'];
  message: MessageName;
  /** The content of the `<message>Rq` element, e.g. `{ CustomerAdd: { Name: … } }`. */
  body: QbxmlRequest['body'];
  /** Keys of the requests that must be applied first. */
  dependsOn: string[];
  /** Higher runs first among requests whose dependencies are met (as the outbox orders entries). */
  priority: number;
  externalGuid: string;
}

export interface PlanOptions {
  /**
   * Keys of list records already in QuickBooks (from the id map): they are not planned again and are not
   * dependencies. Names stay the same, so references by FullName still resolve.
   */
  existing?: ReadonlySet<string>;
  /**
   * Payment methods and classes QuickBooks already has (names from PaymentMethodQuery / ClassQuery). A record of
   * ours with the same name (case-insensitive, as QuickBooks compares) adopts it instead of failing with 3100:
   * a "Cash" payment method is the same thing whoever created it.
   */
  existingNames?: { paymentMethods?: readonly string[]; classes?: readonly string[] };
  /**
   * Invoice key → key of the sales order it converts (the order was open, then fulfilled unpaid). The invoice links
   * to it (`LinkToTxnID`) so QuickBooks marks the sales order invoiced and closes it; the sales order may have been
   * planned in an earlier sync, as long as its outbox entry exists.
   */
  salesOrderOf?: ReadonlyMap<string, string>;
}

/** Higher runs first (the outbox's order): list records before the transactions that use them. */
const PRIORITY: Record<AccountingDocument['kind'], number> = {
  account: 100,
  paymentMethod: 90,
  class: 90,
  item: 80,
  customer: 70,
  vendor: 70,
  purchaseOrder: 50,
  salesOrder: 50,
  invoice: 40,
  salesReceipt: 40,
  creditMemo: 30,
  receivePayment: 20,
  itemReceipt: 10,
  bill: 10,
  journalEntry: 5,
  deposit: 0,
};

type Body = Record<string, unknown>;

function ref(fullName: string): { FullName: string } {
  return { FullName: fullName };
}

export class PlanError extends Error {}

/**
 * Plans list records and documents. Throws PlanError (a bug, not a merchant problem) when a document refers to a
 * list record that is neither in `lists` nor already in QuickBooks.
 */
export function planRequests(
  lists: readonly ListRecord[],
  documents: readonly TransactionDocument[],
  mapping: AccountMapping,
  options: PlanOptions = {},
): PlannedRequest[] {
  const existing = new Set<string>(options.existing ?? []);
  const adoptable = {
    paymentMethod: new Set((options.existingNames?.paymentMethods ?? []).map((n) => n.toLowerCase())),
    class: new Set((options.existingNames?.classes ?? []).map((n) => n.toLowerCase())),
  };
  for (const record of lists) {
    if (
      (record.kind === 'paymentMethod' || record.kind === 'class') &&
      adoptable[record.kind].has(record.name.toLowerCase())
    ) {
      existing.add(record.key);
    }
  }
  const byKey = new Map<string, ListRecord>();
  for (const record of lists) byKey.set(record.key, record);
  const accountKeyOf = new Map<Category, string>();
  for (const record of lists) if (record.kind === 'account') accountKeyOf.set(record.category, record.key);
  const account = (category: Category) => ref(mapping[category]);
  const nameOf = (key: string): string => {
    const record = byKey.get(key);
    if (!record) throw new PlanError(`No list record ${key}`);
    return record.name;
  };
  const out: PlannedRequest[] = [];

  for (const record of lists) {
    if (existing.has(record.key)) continue;
    const dependsOn: string[] = [];
    const need = (key: string | null | undefined) => {
      if (key && !existing.has(key) && byKey.has(key) && !dependsOn.includes(key)) dependsOn.push(key);
    };
    const needAccount = (category: Category | null) => {
      if (category) need(accountKeyOf.get(category));
    };
    const guid = externalGuidFor(record.key);
    let message: MessageName;
    let body: Body;
    switch (record.kind) {
      case 'account': {
        const parent = record.parentKey ? byKey.get(record.parentKey) : undefined;
        need(record.parentKey);
        message = 'AccountAdd';
        body = {
          AccountAdd: {
            Name: record.name,
            ...(record.parentKey
              ? {
                  ParentRef: ref(
                    parent?.kind === 'account' ? fullAccountName(parent, byKey) : mapping[categoryOf(record.parentKey)],
                  ),
                }
              : {}),
            AccountType: record.type,
          },
        };
        break;
      }
      case 'paymentMethod':
        message = 'PaymentMethodAdd';
        body = { PaymentMethodAdd: { Name: record.name, PaymentMethodType: record.type } };
        break;
      case 'class':
        message = 'ClassAdd';
        body = { ClassAdd: { Name: record.name } };
        break;
      case 'item':
        needAccount(record.category);
        needAccount(record.purchaseCategory);
        if (record.itemType === 'nonInventory') {
          message = 'ItemNonInventoryAdd';
          body = {
            ItemNonInventoryAdd: {
              Name: record.name,
              ...(record.sku ? { ManufacturerPartNumber: cleanName(record.sku, ITEM_NAME_MAX) } : {}),
              SalesAndPurchase: {
                SalesDesc: record.description,
                ...(record.price !== null ? { SalesPrice: record.price } : {}),
                IncomeAccountRef: account(record.category),
                PurchaseDesc: record.description,
                ExpenseAccountRef: account(record.purchaseCategory ?? 'inventoryAsset'),
              },
              ExternalGUID: guid,
            },
          };
        } else {
          message = 'ItemOtherChargeAdd';
          body = {
            ItemOtherChargeAdd: {
              Name: record.name,
              SalesOrPurchase: { Desc: record.description, AccountRef: account(record.category) },
              ExternalGUID: guid,
            },
          };
        }
        break;
      case 'customer': {
        const address = record.address;
        message = 'CustomerAdd';
        body = {
          CustomerAdd: {
            Name: record.name,
            ...(record.companyName ? { CompanyName: record.companyName } : {}),
            ...(record.firstName ? { FirstName: record.firstName } : {}),
            ...(record.lastName ? { LastName: record.lastName } : {}),
            ...(address
              ? {
                  BillAddress: {
                    ...Object.fromEntries(address.lines.slice(0, 5).map((l, i) => [`Addr${i + 1}`, l])),
                    ...(address.city ? { City: address.city } : {}),
                    ...(address.state ? { State: address.state } : {}),
                    ...(address.postalCode ? { PostalCode: address.postalCode } : {}),
                    ...(address.country ? { Country: address.country } : {}),
                  },
                }
              : {}),
            ...(record.phone ? { Phone: record.phone } : {}),
            ...(record.email && record.email.length <= 1023 ? { Email: record.email } : {}),
            Notes: record.notes,
            ExternalGUID: guid,
          },
        };
        break;
      }
      case 'vendor':
        message = 'VendorAdd';
        body = {
          VendorAdd: {
            Name: record.name,
            ...(record.companyName ? { CompanyName: record.companyName } : {}),
            Notes: record.notes,
            ExternalGUID: guid,
          },
        };
        break;
    }
    out.push({
      key: record.key,
      kind: record.kind,
      message,
      body: body as QbxmlRequest['body'],
      dependsOn,
      priority: PRIORITY[record.kind],
      externalGuid: guid,
    });
  }

  const documentKeys = new Set(documents.map((d) => d.key));
  for (const document of documents) {
    const dependsOn: string[] = [];
    const need = (key: string | null | undefined) => {
      if (!key || existing.has(key) || dependsOn.includes(key)) return;
      if (documentKeys.has(key)) {
        dependsOn.push(key);
        return;
      }
      if (!byKey.has(key)) throw new PlanError(`${document.key} refers to ${key}, which is not planned`);
      dependsOn.push(key);
    };
    const needAccount = (category: Category) => need(accountKeyOf.get(category));
    /** A document whose TxnID this one carries: planned now or in an earlier sync, applied before this is sent. */
    const linkTo = (key: string) => {
      if (key === document.key) throw new PlanError(`${document.key} cannot link to itself`);
      if (!dependsOn.includes(key)) dependsOn.push(key);
      return txnIdOf(key);
    };
    const guid = externalGuidFor(document.key);
    const salesLines = (lines: SalesLine[], element: string, override: boolean) =>
      lines.map((line) => {
        need(line.item);
        need(line.classKey);
        needAccount(line.category);
        const item = byKey.get(line.item);
        const itemCategory = item?.kind === 'item' ? item.category : line.category;
        const needsOverride = line.category !== itemCategory;
        if (needsOverride && !override)
          throw new PlanError(`${document.key}: ${element} cannot override the item's account`);
        return {
          ItemRef: ref(nameOf(line.item)),
          Desc: line.description,
          ...(line.quantity !== null ? { Quantity: line.quantity } : {}),
          ...(line.classKey ? { ClassRef: ref(nameOf(line.classKey)) } : {}),
          Amount: line.amount,
          ...(needsOverride ? { OverrideItemAccountRef: account(line.category) } : {}),
        };
      });
    let message: MessageName;
    let body: Body;
    switch (document.kind) {
      case 'salesReceipt':
      case 'invoice':
      case 'creditMemo':
      case 'salesOrder': {
        need(document.customer);
        need(document.classKey);
        const header: Body = {
          CustomerRef: ref(nameOf(document.customer)),
          ...(document.classKey ? { ClassRef: ref(nameOf(document.classKey)) } : {}),
        };
        if (document.kind === 'invoice' || document.kind === 'creditMemo') {
          header.ARAccountRef = account('accountsReceivable');
          needAccount('accountsReceivable');
        }
        header.TxnDate = document.date;
        header.RefNumber = document.refNumber;
        header.Memo = document.memo;
        if (document.kind === 'salesReceipt') {
          if (document.paymentMethod) {
            need(document.paymentMethod);
            header.PaymentMethodRef = ref(nameOf(document.paymentMethod));
          }
          header.DepositToAccountRef = account(document.depositTo);
          needAccount(document.depositTo);
        }
        header.ExternalGUID = guid;
        const salesOrder = document.kind === 'invoice' ? options.salesOrderOf?.get(document.key) : undefined;
        // The invoice keeps its own lines (what was fulfilled); the link marks the sales order invoiced.
        if (salesOrder) header.LinkToTxnID = [linkTo(salesOrder)];
        const element = {
          salesReceipt: 'SalesReceiptLineAdd',
          invoice: 'InvoiceLineAdd',
          creditMemo: 'CreditMemoLineAdd',
          salesOrder: 'SalesOrderLineAdd',
        }[document.kind];
        header[element] = salesLines(document.lines, element, document.kind !== 'salesOrder');
        message = (
          {
            salesReceipt: 'SalesReceiptAdd',
            invoice: 'InvoiceAdd',
            creditMemo: 'CreditMemoAdd',
            salesOrder: 'SalesOrderAdd',
          } as const
        )[document.kind];
        body = { [message]: header };
        break;
      }
      case 'receivePayment':
        need(document.customer);
        need(document.paymentMethod);
        needAccount('accountsReceivable');
        needAccount(document.depositTo);
        message = 'ReceivePaymentAdd';
        body = {
          ReceivePaymentAdd: {
            CustomerRef: ref(nameOf(document.customer)),
            ARAccountRef: account('accountsReceivable'),
            TxnDate: document.date,
            RefNumber: document.refNumber.slice(0, 20),
            TotalAmount: document.amount,
            PaymentMethodRef: ref(nameOf(document.paymentMethod)),
            Memo: document.memo,
            DepositToAccountRef: account(document.depositTo),
            ExternalGUID: guid,
            // Auto-apply: QuickBooks applies the payment to the customer's oldest open invoices, which needs no
            // TxnID of an invoice that may not exist yet when this request is planned.
            IsAutoApply: document.apply === 'auto',
          },
        };
        break;
      case 'journalEntry': {
        const line = (l: (typeof document.lines)[number]) => {
          needAccount(l.category);
          need(l.classKey);
          need(l.entity);
          return {
            AccountRef: account(l.category),
            Amount: l.amount,
            Memo: l.memo,
            ...(l.entity ? { EntityRef: ref(nameOf(l.entity)) } : {}),
            ...(l.classKey ? { ClassRef: ref(nameOf(l.classKey)) } : {}),
          };
        };
        message = 'JournalEntryAdd';
        body = {
          JournalEntryAdd: {
            TxnDate: document.date,
            RefNumber: document.refNumber,
            Memo: document.memo,
            ExternalGUID: guid,
            JournalDebitLine: document.lines.filter((l) => l.side === 'debit').map(line),
            JournalCreditLine: document.lines.filter((l) => l.side === 'credit').map(line),
          },
        };
        break;
      }
      case 'deposit':
        needAccount(document.depositTo);
        for (const l of document.lines) needAccount(l.category);
        message = 'DepositAdd';
        body = {
          DepositAdd: {
            TxnDate: document.date,
            DepositToAccountRef: account(document.depositTo),
            Memo: document.memo,
            ExternalGUID: guid,
            DepositLineAdd: document.lines.map((l) => ({
              AccountRef: account(l.category),
              Memo: l.memo,
              Amount: l.amount,
            })),
          },
        };
        break;
      case 'purchaseOrder':
        need(document.vendor);
        need(document.classKey);
        message = 'PurchaseOrderAdd';
        body = {
          PurchaseOrderAdd: {
            VendorRef: ref(nameOf(document.vendor)),
            ...(document.classKey ? { ClassRef: ref(nameOf(document.classKey)) } : {}),
            TxnDate: document.date,
            RefNumber: document.refNumber,
            Memo: document.memo,
            ExternalGUID: guid,
            PurchaseOrderLineAdd: document.lines.map((l) => {
              need(l.item);
              return { ItemRef: ref(nameOf(l.item)), Desc: l.description, Quantity: l.quantity, Amount: l.amount };
            }),
          },
        };
        break;
      case 'itemReceipt':
      case 'bill': {
        need(document.vendor);
        needAccount('accountsPayable');
        // Transform names the purchase order only when this receipt receives all of it. LinkToTxnID receives the
        // whole order: QuickBooks brings in every open line of it (sending our lines as well would receive them
        // twice), marks the lines received and closes the order.
        const purchaseOrder = document.purchaseOrder;
        message = document.kind === 'bill' ? 'BillAdd' : 'ItemReceiptAdd';
        body = {
          [message]: {
            VendorRef: ref(nameOf(document.vendor)),
            APAccountRef: account('accountsPayable'),
            TxnDate: document.date,
            RefNumber: document.refNumber.slice(0, 20),
            Memo: document.memo,
            ExternalGUID: guid,
            ...(purchaseOrder ? { LinkToTxnID: [linkTo(purchaseOrder)] } : {}),
            ExpenseLineAdd: document.expenses.map((l) => {
              needAccount(l.category);
              return { AccountRef: account(l.category), Amount: l.amount, Memo: l.memo };
            }),
            ItemLineAdd: document.lines.flatMap((l) => {
              need(l.item);
              if (purchaseOrder) return [];
              return [{ ItemRef: ref(nameOf(l.item)), Desc: l.description, Quantity: l.quantity, Amount: l.amount }];
            }),
          },
        };
        break;
      }
    }
    out.push({
      key: document.key,
      kind: document.kind,
      message,
      body: body as QbxmlRequest['body'],
      dependsOn,
      priority: PRIORITY[document.kind],
      externalGuid: guid,
    });
  }
  return out;
}

function categoryOf(accountKey: string): Category {
  return accountKey.slice('account/'.length) as Category;
}

function fullAccountName(record: ListRecord, byKey: Map<string, ListRecord>): string {
  if (record.kind !== 'account') return record.name;
  const parent = record.parentKey ? byKey.get(record.parentKey) : undefined;
  return parent ? `${fullAccountName(parent, byKey)}:${record.name}` : record.name;
}

/** A planned request as the qbXML builder takes it. */
export function toQbxmlRequest(planned: PlannedRequest, requestID: string): QbxmlRequest {
  return { type: planned.message, requestID, body: planned.body } as QbxmlRequest;
}

/**
 * A planned body as the outbox stores it (JSON): Money leaves as the decimal string qbXML uses, since a bigint has
 * no faithful JSON form. TxnID references stay as they are, for the delivery backend to fill in.
 */
export function storableBody(value: unknown): unknown {
  if (typeof value === 'bigint') return formatMoney(value);
  if (Array.isArray(value)) return value.map(storableBody);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[key] = storableBody(item);
    return out;
  }
  return value;
}

/** Planned requests as outbox entries for one company file; the source is the document key's first segment. */
export function outboxInputs(
  planned: readonly PlannedRequest[],
  companyFileId: string,
  syncRunId: string | null = null,
): EnqueueInput[] {
  return planned.map((p) => ({
    companyFileId,
    key: p.key,
    kind: p.kind,
    request: { type: p.message, body: storableBody(p.body) as Record<string, unknown> },
    dependencies: p.dependsOn,
    priority: p.priority,
    source: { kind: p.key.slice(0, p.key.indexOf('/')), id: p.key },
    syncRunId,
  }));
}
