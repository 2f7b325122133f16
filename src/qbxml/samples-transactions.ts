/** Sample requests for the transactions, deletions and data extensions: part of `sampleRequests` (samples.ts). */
import { externalGuidFor } from '../domain/index.ts';
import type { QbxmlRequest } from './build.ts';
import type { MessageName } from './generated/schema.ts';
import { address, dataExt, header, named, OWNER_ID, salesLine, txnQuery } from './samples-parts.ts';

export const TRANSACTION_BODIES = {
  SalesReceiptAdd: {
    SalesReceiptAdd: {
      ...header('1001'),
      PaymentMethodRef: named('Shopify Payments'),
      ShipDate: '2026-05-15',
      ItemSalesTaxRef: named('Shopify Tax'),
      Memo: 'Shopify order #1001 (POS, Downtown Store)',
      IsTaxIncluded: false,
      CustomerSalesTaxCodeRef: named('Tax'),
      DepositToAccountRef: named('Shopify Payments Clearing'),
      Other: 'gid://shopify/Order/1001',
      ExternalGUID: externalGuidFor('order:1001'),
      SalesReceiptLineAdd: [
        salesLine('Tees:TEE-BLU-M', 'Organic tee, blue, M', '2', '25.00', 5000n),
        { ItemRef: named('Shopify Discount'), Desc: 'SPRING10', Amount: -500n },
        { ItemRef: named('Shipping'), Desc: 'Standard shipping', Amount: 600n },
        { ItemRef: named('Shopify Tax'), Desc: 'State tax 8.25 %', Amount: 371n },
      ],
    },
  },
  SalesReceiptQuery: { ...txnQuery },
  InvoiceAdd: {
    InvoiceAdd: {
      ...header('1002'),
      ARAccountRef: named('Accounts Receivable'),
      PONumber: 'PO-77',
      TermsRef: named('Net 30'),
      DueDate: '2026-06-13',
      ShipDate: '2026-05-15',
      ItemSalesTaxRef: named('Shopify Tax'),
      Memo: 'Shopify order #1002 (draft order, unpaid)',
      IsTaxIncluded: false,
      Other: 'gid://shopify/Order/1002',
      ExternalGUID: externalGuidFor('order:1002'),
      InvoiceLineAdd: [
        salesLine('Tees:TEE-BLU-M', 'Organic tee, blue, M', '4', '25.00', 10000n),
        { ItemRef: named('Shopify Tax'), Desc: 'State tax 8.25 %', Amount: 825n },
      ],
    },
  },
  InvoiceQuery: { ...txnQuery },
  ReceivePaymentAdd: {
    ReceivePaymentAdd: {
      CustomerRef: named("Ada O'Neill (#4471)"),
      ARAccountRef: named('Accounts Receivable'),
      TxnDate: '2026-05-20',
      RefNumber: 'gid-1002-pay-1',
      TotalAmount: 10825n,
      PaymentMethodRef: named('Shopify Payments'),
      Memo: 'Shopify payment for order #1002',
      DepositToAccountRef: named('Shopify Payments Clearing'),
      ExternalGUID: externalGuidFor('payment:1002:1'),
      AppliedToTxnAdd: [{ TxnID: '1A2B-1715000000', PaymentAmount: 10825n }],
    },
  },
  ReceivePaymentQuery: { ...txnQuery },
  SalesOrderAdd: {
    SalesOrderAdd: {
      ...header('1003'),
      PONumber: 'WEB-1003',
      TermsRef: named('Due on receipt'),
      DueDate: '2026-05-21',
      ShipDate: '2026-05-21',
      ItemSalesTaxRef: named('Shopify Tax'),
      Memo: 'Shopify order #1003 (not yet fulfilled)',
      IsTaxIncluded: false,
      Other: 'gid://shopify/Order/1003',
      ExternalGUID: externalGuidFor('order:1003'),
      SalesOrderLineAdd: [
        (({ ServiceDate: _, ...line }) => line)(
          salesLine('Tees:TEE-BLU-M', 'Organic tee, blue, M', '1', '25.00', 2500n),
        ),
      ],
    },
  },
  SalesOrderQuery: { ...txnQuery },
  CreditMemoAdd: {
    CreditMemoAdd: {
      ...header('R1001-1'),
      ARAccountRef: named('Accounts Receivable'),
      ItemSalesTaxRef: named('Shopify Tax'),
      Memo: 'Shopify refund 1 of order #1001',
      IsTaxIncluded: false,
      Other: 'gid://shopify/Refund/55',
      ExternalGUID: externalGuidFor('refund:55'),
      CreditMemoLineAdd: [
        salesLine('Tees:TEE-BLU-M', 'Returned: organic tee, blue, M', '1', '25.00', 2500n),
        { ItemRef: named('Shopify Tax'), Desc: 'Tax refunded', Amount: 206n },
      ],
    },
  },
  CreditMemoQuery: { ...txnQuery },
  JournalEntryAdd: {
    JournalEntryAdd: {
      TxnDate: '2026-05-14',
      RefNumber: 'COGS-0514',
      Memo: 'Cost of goods sold, Downtown Store, 2026-05-14',
      IsAdjustment: false,
      ExternalGUID: externalGuidFor('cogs:2026-05-14:downtown'),
      JournalDebitLine: [
        {
          AccountRef: named('Cost of Goods Sold'),
          Amount: 1881n,
          Memo: 'COGS',
          EntityRef: named('Shopify POS Walk-in'),
          ClassRef: named('Shopify:Downtown Store'),
        },
      ],
      JournalCreditLine: [
        {
          AccountRef: named('Inventory Asset'),
          Amount: 1881n,
          Memo: 'Inventory relieved',
          ClassRef: named('Shopify:Downtown Store'),
        },
      ],
    },
  },
  JournalEntryQuery: { ...txnQuery },
  DepositAdd: {
    DepositAdd: {
      TxnDate: '2026-05-16',
      DepositToAccountRef: named('Checking'),
      Memo: 'Shopify payout 9001',
      ExternalGUID: externalGuidFor('payout:9001'),
      DepositLineAdd: [
        {
          EntityRef: named('Shopify Payments'),
          AccountRef: named('Shopify Payments Clearing'),
          Memo: 'Payout 9001 gross',
          PaymentMethodRef: named('Shopify Payments'),
          ClassRef: named('Shopify:Downtown Store'),
          Amount: 16296n,
        },
        {
          AccountRef: named('Payment Processing Fees'),
          Memo: 'Shopify Payments fees',
          Amount: -502n,
        },
        { PaymentTxnID: '1A2C-1715000000', OverrideMemo: 'Undeposited card payment' },
      ],
    },
  },
  DepositQuery: { ...txnQuery },
  PurchaseOrderAdd: {
    PurchaseOrderAdd: {
      VendorRef: named('Blue Harbor Textiles'),
      ClassRef: named('Shopify:Downtown Store'),
      TxnDate: '2026-05-02',
      RefNumber: 'PO-2026-17',
      VendorAddress: address,
      ShipAddress: address,
      TermsRef: named('Net 30'),
      DueDate: '2026-06-01',
      ExpectedDate: '2026-05-12',
      Memo: 'Shopify purchase order #17',
      VendorMsg: 'Please ship in one delivery',
      ExternalGUID: externalGuidFor('po:17'),
      PurchaseOrderLineAdd: [
        {
          ItemRef: named('Tees:TEE-BLU-M'),
          ManufacturerPartNumber: 'BH-TEE-100',
          Desc: 'Organic tee, blue, M',
          Quantity: '24',
          Rate: '9.40500',
          ClassRef: named('Shopify:Downtown Store'),
          Amount: 22572n,
          Other1: 'gid://shopify/Po/17',
          DataExt: dataExt,
        },
      ],
    },
  },
  PurchaseOrderQuery: { ...txnQuery, EntityFilter: { FullName: ['Blue Harbor Textiles'] } },
  ItemReceiptAdd: {
    ItemReceiptAdd: {
      VendorRef: named('Blue Harbor Textiles'),
      APAccountRef: named('Accounts Payable'),
      TxnDate: '2026-05-12',
      RefNumber: 'PO-2026-17-R1',
      Memo: 'Received against Shopify purchase order #17',
      ExternalGUID: externalGuidFor('receipt:17:1'),
      ExpenseLineAdd: [{ AccountRef: named('Purchase Freight'), Amount: 1500n, Memo: 'Freight' }],
      ItemLineAdd: [
        {
          ItemRef: named('Tees:TEE-BLU-M'),
          Desc: 'Organic tee, blue, M',
          Quantity: '24',
          Cost: '9.40500',
          Amount: 22572n,
          ClassRef: named('Shopify:Downtown Store'),
          LinkToTxn: { TxnID: '1A30-1715000000', TxnLineID: '1A31-1715000000' },
          DataExt: dataExt,
        },
      ],
    },
  },
  ItemReceiptQuery: { ...txnQuery, EntityFilter: { FullName: ['Blue Harbor Textiles'] } },
  BillAdd: {
    BillAdd: {
      VendorRef: named('Blue Harbor Textiles'),
      VendorAddress: address,
      APAccountRef: named('Accounts Payable'),
      TxnDate: '2026-05-12',
      DueDate: '2026-06-11',
      RefNumber: 'INV-88231',
      TermsRef: named('Net 30'),
      Memo: 'Bill for Shopify purchase order #17',
      ExternalGUID: externalGuidFor('bill:17:1'),
      ExpenseLineAdd: [{ AccountRef: named('Purchase Freight'), Amount: 1500n, Memo: 'Freight' }],
      ItemLineAdd: [
        {
          ItemRef: named('Tees:TEE-BLU-M'),
          Desc: 'Organic tee, blue, M',
          Quantity: '24',
          Cost: '9.40500',
          Amount: 22572n,
          ClassRef: named('Shopify:Downtown Store'),
          LinkToTxn: { TxnID: '1A30-1715000000', TxnLineID: '1A31-1715000000' },
        },
      ],
    },
  },
  BillQuery: { ...txnQuery, EntityFilter: { FullName: ['Blue Harbor Textiles'] } },
  InventoryAdjustmentAdd: {
    InventoryAdjustmentAdd: {
      AccountRef: named('Inventory Adjustments'),
      TxnDate: '2026-05-18',
      RefNumber: 'ADJ-0518',
      ClassRef: named('Shopify:Downtown Store'),
      Memo: 'Shopify inventory count, Downtown Store',
      ExternalGUID: externalGuidFor('adjustment:2026-05-18:downtown'),
      InventoryAdjustmentLineAdd: [
        { ItemRef: named('Tees:TEE-BLU-M'), QuantityAdjustment: { QuantityDifference: '-2' } },
        { ItemRef: named('Tees:TEE-BLU-L'), QuantityAdjustment: { NewQuantity: '30' } },
      ],
    },
  },
  InventoryAdjustmentQuery: { ...txnQuery, EntityFilter: undefined },
  TransactionQuery: {
    MaxReturned: 100,
    TransactionDateRangeFilter: { FromTxnDate: '2026-05-01', ToTxnDate: '2026-05-31' },
    TransactionTypeFilter: { TxnTypeFilter: ['SalesReceipt', 'CreditMemo', 'Deposit'] },
    TransactionDetailLevelFilter: 'SummaryOnly',
    IncludeRetElement: ['TxnID', 'TxnType', 'RefNumber', 'Amount'],
  },
  TxnDel: { TxnDelType: 'SalesReceipt', TxnID: '1A2B-1715000000' },
  DataExtDefAdd: {
    DataExtDefAdd: {
      OwnerID: OWNER_ID,
      DataExtName: 'ShopifyId',
      DataExtType: 'STR255TYPE',
      AssignToObject: ['Customer', 'Item', 'SalesReceipt', 'Invoice', 'CreditMemo'],
      DataExtListRequire: false,
      DataExtTxnRequire: false,
    },
  },
  DataExtDefQuery: { OwnerID: [OWNER_ID], IncludeRetElement: ['DataExtName', 'DataExtType'] },
  DataExtAdd: {
    DataExtAdd: {
      OwnerID: OWNER_ID,
      DataExtName: 'ShopifyId',
      ListDataExtType: 'Customer',
      ListObjRef: named("Ada O'Neill (#4471)"),
      DataExtValue: 'gid://shopify/Customer/4471',
    },
  },
  DataExtMod: {
    DataExtMod: {
      OwnerID: OWNER_ID,
      DataExtName: 'ShopifyId',
      TxnDataExtType: 'SalesReceipt',
      TxnID: '1A2B-1715000000',
      DataExtValue: 'gid://shopify/Order/1001',
    },
  },
} satisfies Partial<Record<MessageName, QbxmlRequest['body'] & object>>;
