/**
 * What a document kind is: the contract every module in this folder fulfils. A kind says how its documents are
 * made from the shop's data (its rule), how each becomes a qbXML request (its body, typed against the request types
 * generated from Intuit's XSD, and the records and documents it needs first), where it stands in the delivery order
 * (priority), and what it does to the general ledger (the reconciliation's view of it). `registry.ts` lists them.
 */
import type { Money } from '../../domain/index.ts';
import type { In, MessageName, RequestTypes } from '../../qbxml/index.ts';
import type { AccountMapping, Category } from '../accounts.ts';
import type { ListRecord, TransactionDocument } from '../documents.ts';
import type { TransformInput } from '../input.ts';
import type { NameRequest } from '../names.ts';

/**
 * Stands where a TxnID goes in a planned body: the TxnID of the outbox entry with this key, once QuickBooks has
 * applied it. The plan makes the key a dependency; the delivery fills the TxnID in at send time.
 */
export interface TxnIdReference {
  $txnIdOf: string;
}

/**
 * Stands where a TxnLineID goes: the TxnLineID QuickBooks gave line `line` (counted from 0, in the order the lines
 * were sent) of the outbox entry with this key, kept from its Ret when it was applied.
 */
export interface TxnLineIdReference {
  $txnLineIdOf: string;
  line: number;
}

/** The scalars of a planned body: what the qbXML builder takes, except that a TxnID may still be a reference. */
export interface Planned extends Omit<In, 'IDTYPE'> {
  IDTYPE: string | TxnIdReference | TxnLineIdReference;
}

/** The content of a planned `<message>Rq` element, e.g. `{ CustomerAdd: { Name: … } }`. */
export type PlannedBody<M extends MessageName = MessageName> = RequestTypes<Planned>[M];

/** A request as a kind plans it: the message and its body, paired. */
export type PlannedMessage<M extends MessageName = MessageName> = {
  [K in M]: { message: K; body: PlannedBody<K> };
}[M];

/** `{ FullName }`: how a body names an account, item, customer… (QuickBooks resolves it to the ListID). */
export interface NameRef {
  FullName: string;
}

/** What a kind's `plan` may ask while it builds one body. The plan (src/plan/) gives it. */
export interface PlanContext {
  /** The key of the record or document being planned. */
  readonly key: string;
  /** Its ExternalGUID (`externalGuidFor(key)`). */
  readonly guid: string;
  readonly mapping: AccountMapping;
  /**
   * Makes a list record or document a dependency (applied before this request is sent). Records already in
   * QuickBooks are not; a document's dependency on a record that is not planned is a bug (PlanError).
   */
  need(key: string | null | undefined): void;
  /** Makes the account record of a category a dependency, when the connector creates that account. */
  needAccount(category: Category | null): void;
  /** The mapped account of a category, as a reference. */
  account(category: Category): NameRef;
  /** A list record, named as QuickBooks knows it (PlanError when `lists` does not hold it). */
  ref(key: string): NameRef;
  record(key: string): ListRecord | undefined;
  /** The TxnID of another document, by reference; the document becomes a dependency. */
  linkTo(key: string): TxnIdReference;
  /** A line of another document (`LinkToTxn`: its TxnID and that line's TxnLineID), by reference; a dependency. */
  linkToLine(key: string, line: number): { TxnID: TxnIdReference; TxnLineID: TxnLineIdReference };
  /** The sales order an invoice converts (the plan's `salesOrderOf` option). */
  salesOrderOf(invoiceKey: string): string | undefined;
  /** Stops planning: the documents ask for something QuickBooks cannot take (a bug, never the merchant's). */
  fail(message: string): never;
}

/** Adds `amount` (debit positive) to a category of the ledger. */
export type Post = (category: Category, amount: Money) => void;

export interface DocumentKind<D extends TransactionDocument> {
  /**
   * The documents of this kind the shop's data makes (every date: the transform drops those before the start
   * date). Absent when another rule makes them (`DOCUMENT_RULES`). A rule may make documents of another kind too,
   * as a credit that leaves the customer owing is an invoice.
   */
  documents?(input: TransformInput): Iterable<TransactionDocument>;
  /** Higher is sent first among requests whose dependencies are met (the outbox's order). */
  priority: number;
  plan(document: D, context: PlanContext): PlannedMessage;
  /** Posts what the document does to the general ledger, the way QuickBooks posts this transaction type. */
  ledger(document: D, post: Post): void;
  /** The document's total as QuickBooks shows it. */
  total(document: D): Money;
  /**
   * The document that undoes a posted one, under `key` and dated `date` (an order edited after posting). Null: it
   * posts nothing, so nothing is undone. Absent: changes to it are not posted as differences.
   */
  reversal?(posted: D, key: string, date: string): TransactionDocument | null;
}

/** Makes documents of kinds whose module does not make them itself (every date, like a kind's `documents`). */
export interface DocumentRule {
  documents(input: TransformInput): Iterable<TransactionDocument>;
}

/**
 * QuickBooks' name lists: a name is unique within one (customers, vendors and other names share one; items,
 * payment methods and classes have their own).
 */
export type NameList = 'names' | 'items' | 'paymentMethods' | 'classes';

/** A list record before its name is given: the name it asks for in its kind's name list. */
export interface ListDraft<R extends ListRecord> {
  key: string;
  name: Omit<NameRequest, 'key'>;
  /** The record under the name it was given. */
  named(name: string): R;
}

/** What list kinds read: the transform's input and the documents that will be posted. */
export interface ListInput extends TransformInput {
  documents: readonly TransactionDocument[];
}

export interface ListKind<R extends ListRecord> {
  priority: number;
  /** The name list the records share; null: each record is named as it asks (accounts from the setup). */
  nameList: NameList | null;
  /**
   * Records QuickBooks may already have under the same name, listed by the setup's queries (`existingNames` in the
   * plan's options): adopted instead of added.
   */
  adopts?: 'paymentMethods' | 'classes';
  records(input: ListInput): Iterable<ListDraft<R>>;
  plan(record: R, context: PlanContext): PlannedMessage;
}
