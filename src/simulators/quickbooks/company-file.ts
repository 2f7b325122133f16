import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { SCHEMA } from './company-file-schema.ts';
import type { QbObject } from './qb-object.ts';

/**
 * The company file: one SQLite file (node:sqlite) holding the lists, transactions, general ledger, inventory,
 * data extensions and stored message-set responses. Records are stored as the `…Ret` object QuickBooks would
 * return, beside the columns the simulator searches on.
 */
export type Edition = 'pro' | 'premier' | 'enterprise';

export { SCHEMA_VERSION } from './company-file-schema.ts';

export interface ListRow {
  listId: string;
  listType: string;
  nameSpace: string;
  parentId: string | null;
  isActive: boolean;
  seq: number;
  ret: QbObject;
}

export interface TxnRow {
  txnId: string;
  txnType: string;
  txnDate: string;
  refNumber: string | null;
  entityId: string | null;
  seq: number;
  ret: QbObject;
}

/** The general ledger, or the would-post lines of open non-posting forms (sales orders). */
export type LedgerTable = 'ledger' | 'non_posting_ledger';

export interface LedgerLine {
  txnId: string;
  txnType: string;
  txnDate: string;
  accountId: string;
  /** Debit positive, credit negative, in hundredths. */
  amount: bigint;
  entityId: string | null;
  itemId: string | null;
  memo: string | null;
}

export interface InventoryState {
  /** Quantity on hand × 10^5. */
  quantity: bigint;
  /** Asset value in hundredths. */
  value: bigint;
  /** Last average cost per unit, hundredths × 10^6; used while the quantity is zero or negative. */
  lastCost: bigint;
}

interface RawListRow {
  list_id: string;
  list_type: string;
  name_space: string;
  parent_id: string | null;
  is_active: number;
  seq: number;
  ret: string;
}

interface RawTxnRow {
  txn_id: string;
  txn_type: string;
  txn_date: string;
  ref_number: string | null;
  entity_id: string | null;
  seq: number;
  ret: string;
}

function toListRow(raw: RawListRow): ListRow {
  return {
    listId: raw.list_id,
    listType: raw.list_type,
    nameSpace: raw.name_space,
    parentId: raw.parent_id,
    isActive: raw.is_active === 1,
    seq: Number(raw.seq),
    ret: JSON.parse(raw.ret) as QbObject,
  };
}

function toTxnRow(raw: RawTxnRow): TxnRow {
  return {
    txnId: raw.txn_id,
    txnType: raw.txn_type,
    txnDate: raw.txn_date,
    refNumber: raw.ref_number,
    entityId: raw.entity_id,
    seq: Number(raw.seq),
    ret: JSON.parse(raw.ret) as QbObject,
  };
}

/** Low-level access to the company file. Business rules live in the modules that use it. */
export class CompanyFile {
  readonly db: DatabaseSync;
  readonly path: string;
  private readonly statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.path = path;
    this.db = new DatabaseSync(path);
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
    this.db.exec(SCHEMA);
  }

  prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      statement.setReadBigInts(false);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  close(): void {
    this.statements.clear();
    this.db.close();
  }

  getMeta(key: string): string | null {
    const row = this.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ).run(key, value);
  }

  /** Next value of a named counter (ListID/TxnID/TxnNumber sequences), persisted. */
  nextCounter(name: string, start: number): number {
    const current = this.getMeta(`counter.${name}`);
    const next = current === null ? start : Number(current) + 1;
    this.setMeta(`counter.${name}`, String(next));
    return next;
  }

  // Lists ---------------------------------------------------------------------------------------------------

  insertList(row: ListRow, fullNameKey: string): void {
    this.prepare(
      'INSERT INTO list_records (list_id, list_type, name_space, full_name_key, parent_id, is_active, seq, time_modified, ret) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      row.listId,
      row.listType,
      row.nameSpace,
      fullNameKey,
      row.parentId,
      row.isActive ? 1 : 0,
      row.seq,
      String(row.ret.TimeModified ?? ''),
      JSON.stringify(row.ret),
    );
  }

  updateList(row: ListRow, fullNameKey: string): void {
    this.prepare(
      'UPDATE list_records SET full_name_key = ?, parent_id = ?, is_active = ?, time_modified = ?, ret = ? WHERE list_id = ?',
    ).run(
      fullNameKey,
      row.parentId,
      row.isActive ? 1 : 0,
      String(row.ret.TimeModified ?? ''),
      JSON.stringify(row.ret),
      row.listId,
    );
  }

  listById(listId: string): ListRow | null {
    const raw = this.prepare('SELECT * FROM list_records WHERE list_id = ?').get(listId) as RawListRow | undefined;
    return raw ? toListRow(raw) : null;
  }

  listByName(nameSpace: string, fullName: string): ListRow | null {
    const raw = this.prepare('SELECT * FROM list_records WHERE name_space = ? AND full_name_key = ?').get(
      nameSpace,
      fullName.toLowerCase(),
    ) as RawListRow | undefined;
    return raw ? toListRow(raw) : null;
  }

  listsOfTypes(listTypes: readonly string[]): ListRow[] {
    if (listTypes.length === 0) return [];
    const marks = listTypes.map(() => '?').join(', ');
    const rows = this.prepare(`SELECT * FROM list_records WHERE list_type IN (${marks}) ORDER BY seq`).all(
      ...listTypes,
    ) as unknown as RawListRow[];
    return rows.map(toListRow);
  }

  children(parentId: string): ListRow[] {
    const rows = this.prepare('SELECT * FROM list_records WHERE parent_id = ? ORDER BY seq').all(
      parentId,
    ) as unknown as RawListRow[];
    return rows.map(toListRow);
  }

  countLists(listTypes: readonly string[]): number {
    const marks = listTypes.map(() => '?').join(', ');
    const row = this.prepare(`SELECT COUNT(*) AS n FROM list_records WHERE list_type IN (${marks})`).get(
      ...listTypes,
    ) as { n: number };
    return Number(row.n);
  }

  // Transactions --------------------------------------------------------------------------------------------

  insertTxn(row: TxnRow): void {
    this.prepare(
      'INSERT INTO transactions (txn_id, txn_type, txn_date, ref_number, entity_id, seq, time_modified, ret) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      row.txnId,
      row.txnType,
      row.txnDate,
      row.refNumber,
      row.entityId,
      row.seq,
      String(row.ret.TimeModified ?? ''),
      JSON.stringify(row.ret),
    );
  }

  updateTxn(row: TxnRow): void {
    this.prepare(
      'UPDATE transactions SET txn_date = ?, ref_number = ?, entity_id = ?, time_modified = ?, ret = ? WHERE txn_id = ?',
    ).run(
      row.txnDate,
      row.refNumber,
      row.entityId,
      String(row.ret.TimeModified ?? ''),
      JSON.stringify(row.ret),
      row.txnId,
    );
  }

  deleteTxn(txnId: string): void {
    this.prepare('DELETE FROM transactions WHERE txn_id = ?').run(txnId);
  }

  txnById(txnId: string): TxnRow | null {
    const raw = this.prepare('SELECT * FROM transactions WHERE txn_id = ?').get(txnId) as RawTxnRow | undefined;
    return raw ? toTxnRow(raw) : null;
  }

  txnsOfType(txnType: string): TxnRow[] {
    const rows = this.prepare('SELECT * FROM transactions WHERE txn_type = ? ORDER BY seq').all(
      txnType,
    ) as unknown as RawTxnRow[];
    return rows.map(toTxnRow);
  }

  allTxns(): TxnRow[] {
    const rows = this.prepare('SELECT * FROM transactions ORDER BY seq').all() as unknown as RawTxnRow[];
    return rows.map(toTxnRow);
  }

  // Ledger --------------------------------------------------------------------------------------------------

  insertLedger(line: LedgerLine, table: LedgerTable = 'ledger'): void {
    this.prepare(
      `INSERT INTO ${table} (txn_id, txn_type, txn_date, account_id, amount, entity_id, item_id, memo) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(line.txnId, line.txnType, line.txnDate, line.accountId, line.amount, line.entityId, line.itemId, line.memo);
  }

  deleteLedger(txnId: string, table: LedgerTable = 'ledger'): void {
    this.prepare(`DELETE FROM ${table} WHERE txn_id = ?`).run(txnId);
  }

  ledgerLines(
    filter: { accountId?: string; txnId?: string; fromDate?: string; toDate?: string } = {},
    table: LedgerTable = 'ledger',
  ): LedgerLine[] {
    const where: string[] = [];
    const params: string[] = [];
    if (filter.accountId) {
      where.push('account_id = ?');
      params.push(filter.accountId);
    }
    if (filter.txnId) {
      where.push('txn_id = ?');
      params.push(filter.txnId);
    }
    if (filter.fromDate) {
      where.push('txn_date >= ?');
      params.push(filter.fromDate);
    }
    if (filter.toDate) {
      where.push('txn_date <= ?');
      params.push(filter.toDate);
    }
    const statement = this.prepare(
      `SELECT * FROM ${table} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY txn_date, id`,
    );
    statement.setReadBigInts(true);
    try {
      const rows = statement.all(...params) as unknown as {
        txn_id: string;
        txn_type: string;
        txn_date: string;
        account_id: string;
        amount: bigint;
        entity_id: string | null;
        item_id: string | null;
        memo: string | null;
      }[];
      return rows.map((r) => ({
        txnId: r.txn_id,
        txnType: r.txn_type,
        txnDate: r.txn_date,
        accountId: r.account_id,
        amount: r.amount,
        entityId: r.entity_id,
        itemId: r.item_id,
        memo: r.memo,
      }));
    } finally {
      statement.setReadBigInts(false);
    }
  }

  /** Balance per account (debit positive) for lines dated within the range. */
  /** The date of the latest posting in the general ledger, or null when nothing is posted. */
  lastLedgerDate(): string | null {
    const row = this.prepare('SELECT MAX(txn_date) AS last FROM ledger').get() as { last: string | null } | undefined;
    return row?.last ?? null;
  }

  accountBalances(fromDate?: string, toDate?: string): Map<string, bigint> {
    const statement = this.prepare(
      'SELECT account_id, SUM(amount) AS total FROM ledger WHERE txn_date >= ? AND txn_date <= ? GROUP BY account_id',
    );
    statement.setReadBigInts(true);
    try {
      const rows = statement.all(fromDate ?? '0000-00-00', toDate ?? '9999-99-99') as unknown as {
        account_id: string;
        total: bigint;
      }[];
      return new Map(rows.map((r) => [r.account_id, r.total]));
    } finally {
      statement.setReadBigInts(false);
    }
  }

  // Inventory -----------------------------------------------------------------------------------------------

  inventory(itemId: string): InventoryState {
    const statement = this.prepare('SELECT quantity, value, last_cost FROM inventory WHERE item_id = ?');
    statement.setReadBigInts(true);
    try {
      const row = statement.get(itemId) as { quantity: string; value: bigint; last_cost: string } | undefined;
      if (!row) return { quantity: 0n, value: 0n, lastCost: 0n };
      return { quantity: BigInt(row.quantity), value: row.value, lastCost: BigInt(row.last_cost) };
    } finally {
      statement.setReadBigInts(false);
    }
  }

  setInventory(itemId: string, state: InventoryState): void {
    this.prepare(
      'INSERT INTO inventory (item_id, quantity, value, last_cost) VALUES (?, ?, ?, ?) ON CONFLICT(item_id) DO UPDATE SET quantity = excluded.quantity, value = excluded.value, last_cost = excluded.last_cost',
    ).run(itemId, state.quantity.toString(), state.value, state.lastCost.toString());
  }

  insertMove(txnId: string, itemId: string, quantity: bigint, value: bigint, lastCostBefore: bigint): void {
    this.prepare(
      'INSERT INTO inventory_moves (txn_id, item_id, quantity, value, last_cost_before) VALUES (?, ?, ?, ?, ?)',
    ).run(txnId, itemId, quantity.toString(), value, lastCostBefore.toString());
  }

  /** The inventory moves of a transaction, newest first (the order to undo them). */
  movesOf(txnId: string): { itemId: string; quantity: bigint; value: bigint; lastCostBefore: bigint }[] {
    const statement = this.prepare(
      'SELECT item_id, quantity, value, last_cost_before FROM inventory_moves WHERE txn_id = ? ORDER BY id DESC',
    );
    statement.setReadBigInts(true);
    try {
      const rows = statement.all(txnId) as unknown as {
        item_id: string;
        quantity: string;
        value: bigint;
        last_cost_before: string;
      }[];
      return rows.map((r) => ({
        itemId: r.item_id,
        quantity: BigInt(r.quantity),
        value: r.value,
        lastCostBefore: BigInt(r.last_cost_before),
      }));
    } finally {
      statement.setReadBigInts(false);
    }
  }

  deleteMoves(txnId: string): void {
    this.prepare('DELETE FROM inventory_moves WHERE txn_id = ?').run(txnId);
  }

  // Message sets and data extensions ------------------------------------------------------------------------

  storedResponse(messageSetId: string): string | null {
    const row = this.prepare('SELECT response FROM message_sets WHERE id = ?').get(messageSetId) as
      | { response: string }
      | undefined;
    return row?.response ?? null;
  }

  storeResponse(messageSetId: string, response: string): void {
    this.prepare(
      'INSERT INTO message_sets (id, response) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET response = excluded.response',
    ).run(messageSetId, response);
  }

  dataExtDef(ownerId: string, name: string): QbObject | null {
    const row = this.prepare('SELECT ret FROM data_ext_defs WHERE owner_id = ? AND lower(name) = lower(?)').get(
      ownerId,
      name,
    ) as { ret: string } | undefined;
    return row ? (JSON.parse(row.ret) as QbObject) : null;
  }

  dataExtDefs(ownerIds: readonly string[] | null): QbObject[] {
    const rows = this.prepare('SELECT owner_id, ret FROM data_ext_defs ORDER BY rowid').all() as {
      owner_id: string;
      ret: string;
    }[];
    return rows.filter((r) => ownerIds === null || ownerIds.includes(r.owner_id)).map((r) => JSON.parse(r.ret));
  }

  insertDataExtDef(ownerId: string, name: string, ret: QbObject): void {
    this.prepare('INSERT INTO data_ext_defs (owner_id, name, ret) VALUES (?, ?, ?)').run(
      ownerId,
      name,
      JSON.stringify(ret),
    );
  }

  dataExtValue(ownerId: string, name: string, objectId: string): string | null {
    const row = this.prepare(
      'SELECT value FROM data_ext_values WHERE owner_id = ? AND lower(name) = lower(?) AND object_id = ?',
    ).get(ownerId, name, objectId) as { value: string } | undefined;
    return row?.value ?? null;
  }

  dataExtValues(objectId: string, ownerIds: readonly string[]): { ownerId: string; name: string; value: string }[] {
    const rows = this.prepare(
      'SELECT owner_id, name, value FROM data_ext_values WHERE object_id = ? ORDER BY rowid',
    ).all(objectId) as { owner_id: string; name: string; value: string }[];
    return rows
      .filter((r) => ownerIds.includes(r.owner_id) || (ownerIds.includes('0') && r.owner_id === '0'))
      .map((r) => ({ ownerId: r.owner_id, name: r.name, value: r.value }));
  }

  setDataExtValue(ownerId: string, name: string, objectId: string, value: string): void {
    this.prepare(
      'INSERT INTO data_ext_values (owner_id, name, object_id, value) VALUES (?, ?, ?, ?) ON CONFLICT(owner_id, name, object_id) DO UPDATE SET value = excluded.value',
    ).run(ownerId, name, objectId, value);
  }

  deleteDataExtValue(ownerId: string, name: string, objectId: string): boolean {
    const result = this.prepare(
      'DELETE FROM data_ext_values WHERE owner_id = ? AND lower(name) = lower(?) AND object_id = ?',
    ).run(ownerId, name, objectId);
    return Number(result.changes) > 0;
  }
}
