/**
 * The tables of a company file (see `company-file.ts`): meta, lists, transactions, the general ledger and the
 * non-posting ledger of sales orders, inventory and its moves, stored responses, data extensions.
 */
export const SCHEMA_VERSION = '1';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS list_records (
  list_id TEXT PRIMARY KEY,
  list_type TEXT NOT NULL,
  name_space TEXT NOT NULL,
  full_name_key TEXT NOT NULL,
  parent_id TEXT,
  is_active INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  time_modified TEXT NOT NULL,
  ret TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS list_records_name ON list_records (name_space, full_name_key);
CREATE INDEX IF NOT EXISTS list_records_type ON list_records (list_type, seq);
CREATE TABLE IF NOT EXISTS transactions (
  txn_id TEXT PRIMARY KEY,
  txn_type TEXT NOT NULL,
  txn_date TEXT NOT NULL,
  ref_number TEXT,
  entity_id TEXT,
  seq INTEGER NOT NULL,
  time_modified TEXT NOT NULL,
  ret TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transactions_type ON transactions (txn_type, seq);
CREATE TABLE IF NOT EXISTS ledger (
  id INTEGER PRIMARY KEY,
  txn_id TEXT NOT NULL,
  txn_type TEXT NOT NULL,
  txn_date TEXT NOT NULL,
  account_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  entity_id TEXT,
  item_id TEXT,
  memo TEXT
);
CREATE INDEX IF NOT EXISTS ledger_txn ON ledger (txn_id);
-- What open non-posting forms (sales orders) would post, as QuickBooks' "Open Sales Orders by Item" report shows
-- them. Never part of the general ledger or the trial balance.
CREATE TABLE IF NOT EXISTS non_posting_ledger (
  id INTEGER PRIMARY KEY,
  txn_id TEXT NOT NULL,
  txn_type TEXT NOT NULL,
  txn_date TEXT NOT NULL,
  account_id TEXT NOT NULL,
  amount INTEGER NOT NULL,
  entity_id TEXT,
  item_id TEXT,
  memo TEXT
);
CREATE INDEX IF NOT EXISTS non_posting_ledger_account ON non_posting_ledger (account_id, txn_date);
CREATE INDEX IF NOT EXISTS non_posting_ledger_txn ON non_posting_ledger (txn_id);
CREATE INDEX IF NOT EXISTS ledger_account ON ledger (account_id, txn_date);
CREATE TABLE IF NOT EXISTS inventory (
  item_id TEXT PRIMARY KEY,
  quantity TEXT NOT NULL,
  value INTEGER NOT NULL,
  last_cost TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS inventory_moves (
  id INTEGER PRIMARY KEY,
  txn_id TEXT NOT NULL,
  item_id TEXT NOT NULL,
  quantity TEXT NOT NULL,
  value INTEGER NOT NULL,
  last_cost_before TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inventory_moves_txn ON inventory_moves (txn_id);
CREATE TABLE IF NOT EXISTS message_sets (id TEXT PRIMARY KEY, response TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS data_ext_defs (
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  ret TEXT NOT NULL,
  PRIMARY KEY (owner_id, name)
);
CREATE TABLE IF NOT EXISTS data_ext_values (
  owner_id TEXT NOT NULL,
  name TEXT NOT NULL,
  object_id TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (owner_id, name, object_id)
);
`;
