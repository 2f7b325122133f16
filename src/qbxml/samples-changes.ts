/**
 * Sample requests for the messages that change what is already in QuickBooks (…Mod, with the EditSequence read
 * last) and for the report queries the reconciliation asks: part of `sampleRequests` (samples.ts).
 */
import type { QbxmlRequest } from './build.ts';
import type { MessageName } from './generated/schema.ts';

const named = (FullName: string) => ({ FullName });
const EDIT = '1715000004';

type Bodies<K extends MessageName> = { [M in K]: Extract<QbxmlRequest, { type: M }>['body'] };

export const CHANGE_BODIES: Bodies<
  | 'ItemInventoryMod'
  | 'ItemNonInventoryMod'
  | 'ItemServiceMod'
  | 'ItemOtherChargeMod'
  | 'ItemDiscountMod'
  | 'ItemSalesTaxMod'
  | 'ItemPaymentMod'
  | 'SalesReceiptMod'
  | 'InvoiceMod'
  | 'SalesOrderMod'
  | 'CreditMemoMod'
  | 'JournalEntryMod'
  | 'PurchaseOrderMod'
  | 'GeneralSummaryReportQuery'
  | 'GeneralDetailReportQuery'
> = {
  ItemInventoryMod: {
    ItemInventoryMod: {
      ListID: '80000010-1715000000',
      EditSequence: EDIT,
      Name: 'TEE-BLU-M',
      SalesDesc: 'Organic tee, blue, M (new cut)',
      SalesPrice: 2700n,
      IncomeAccountRef: named('Sales:Product Sales'),
      ApplyIncomeAccountRefToExistingTxns: false,
      PurchaseCost: '9.80000',
      ReorderPoint: 12,
    },
  },
  ItemNonInventoryMod: {
    ItemNonInventoryMod: {
      ListID: '80000011-1715000000',
      EditSequence: EDIT,
      IsActive: false,
      SalesOrPurchaseMod: { Desc: 'Gift wrapping (retired)', Price: '4.50', AccountRef: named('Sales:Other Sales') },
    },
  },
  ItemServiceMod: {
    ItemServiceMod: {
      ListID: '80000012-1715000000',
      EditSequence: EDIT,
      SalesAndPurchaseMod: { SalesDesc: 'Hemming and alterations', SalesPrice: '17.00' },
    },
  },
  ItemOtherChargeMod: {
    ItemOtherChargeMod: {
      ListID: '80000013-1715000000',
      EditSequence: EDIT,
      SalesOrPurchaseMod: { Desc: 'Shipping charged to customers', AccountRef: named('Shipping Income') },
    },
  },
  ItemDiscountMod: {
    ItemDiscountMod: {
      ListID: '80000014-1715000000',
      EditSequence: EDIT,
      ItemDesc: 'Discounts given in Shopify',
      AccountRef: named('Sales:Discounts'),
    },
  },
  ItemSalesTaxMod: {
    ItemSalesTaxMod: { ListID: '80000015-1715000000', EditSequence: EDIT, ItemDesc: 'Sales tax (Shopify)' },
  },
  ItemPaymentMod: {
    ItemPaymentMod: {
      ListID: '80000016-1715000000',
      EditSequence: EDIT,
      DepositToAccountRef: named('Gift Card Liability'),
    },
  },
  SalesReceiptMod: {
    SalesReceiptMod: {
      TxnID: '1A2B-1715000000',
      EditSequence: EDIT,
      Memo: 'Shopify order #1001 (POS, Downtown Store), note edited',
      SalesReceiptLineMod: [{ TxnLineID: '1A2C-1715000000', Desc: 'Organic tee, blue, M' }],
    },
  },
  InvoiceMod: {
    InvoiceMod: {
      TxnID: '1A40-1715000000',
      EditSequence: EDIT,
      DueDate: '2026-06-20',
      Memo: 'Shopify order #1002 (draft order, unpaid), due date moved',
      InvoiceLineMod: [
        { TxnLineID: '1A41-1715000000', Quantity: '3', Rate: '25.00', Amount: 7500n },
        { TxnLineID: '-1', ItemRef: named('Shipping'), Desc: 'Express shipping', Amount: 900n },
      ],
    },
  },
  SalesOrderMod: {
    SalesOrderMod: {
      TxnID: '1A50-1715000000',
      EditSequence: EDIT,
      IsManuallyClosed: true,
      Memo: 'Shopify order #1003: invoiced by the connector',
    },
  },
  CreditMemoMod: {
    CreditMemoMod: {
      TxnID: '1A60-1715000000',
      EditSequence: EDIT,
      Memo: 'Shopify refund 1 of order #1001 (note edited)',
      CreditMemoLineMod: [{ TxnLineID: '1A61-1715000000', Desc: 'Returned: organic tee, blue, M (damaged)' }],
    },
  },
  JournalEntryMod: {
    JournalEntryMod: {
      TxnID: '1A70-1715000000',
      EditSequence: EDIT,
      RefNumber: 'COGS-0514',
      JournalLineMod: [
        {
          TxnLineID: '1A71-1715000000',
          JournalLineType: 'Debit',
          AccountRef: named('Cost of Goods Sold'),
          Amount: 1900n,
        },
        {
          TxnLineID: '1A72-1715000000',
          JournalLineType: 'Credit',
          AccountRef: named('Inventory Asset'),
          Amount: 1900n,
        },
      ],
    },
  },
  PurchaseOrderMod: {
    PurchaseOrderMod: {
      TxnID: '1A30-1715000000',
      EditSequence: EDIT,
      ExpectedDate: '2026-05-19',
      PurchaseOrderLineMod: [{ TxnLineID: '1A31-1715000000', Quantity: '30', Rate: '9.40500', Amount: 28215n }],
    },
  },
  GeneralSummaryReportQuery: {
    GeneralSummaryReportType: 'TrialBalance',
    ReportPeriod: { FromReportDate: '2026-05-01', ToReportDate: '2026-05-31' },
    ReportBasis: 'Accrual',
  },
  GeneralDetailReportQuery: {
    GeneralDetailReportType: 'TxnDetailByAccount',
    ReportPeriod: { FromReportDate: '2026-05-01', ToReportDate: '2026-05-31' },
    ReportAccountFilter: { FullName: ['Sales:Product Sales', 'Shopify Payments Clearing'] },
    ReportPostingStatusFilter: 'Posting',
    IncludeColumn: ['TxnID', 'TxnType', 'Date', 'RefNumber', 'Account', 'Debit', 'Credit'],
    ReportBasis: 'Accrual',
  },
};
