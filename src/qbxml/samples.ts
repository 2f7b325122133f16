/**
 * One realistic request per supported message, filled with every optional block the connector uses: what
 * `qbd-connector qbxml samples` writes, and the "fullest variants" the XSD tests validate.
 */
import { externalGuidFor } from '../domain/index.ts';
import type { QbxmlRequest } from './build.ts';
import type { MessageName } from './generated/schema.ts';
import { MESSAGES } from './generated/schema.ts';
import { CHANGE_BODIES } from './samples-changes.ts';
import { messageDef, typeInfo } from './schema.ts';

const OWNER_ID = '{6A0F3A52-2C0B-4E3F-9B8B-7D1F5C2E9A10}';
const named = (FullName: string) => ({ FullName });
const address = {
  Addr1: 'Northwind Outfitters',
  Addr2: '1200 Pine Street',
  Addr3: 'Suite 400',
  City: 'Portland',
  State: 'OR',
  PostalCode: '97205',
  Country: 'US',
  Note: 'Loading dock at the back',
};
const dataExt = [{ OwnerID: OWNER_ID, DataExtName: 'ShopifyId', DataExtValue: 'gid://shopify/LineItem/1' }];

const listQuery = {
  MaxReturned: 100,
  ActiveStatus: 'All' as const,
  FromModifiedDate: '2026-05-01T00:00:00',
  ToModifiedDate: '2026-05-31T23:59:59',
  NameFilter: { MatchCriterion: 'StartsWith' as const, Name: 'Shopify' },
  IncludeRetElement: ['ListID', 'EditSequence', 'FullName', 'IsActive'],
  OwnerID: [OWNER_ID],
};

const txnQuery = {
  MaxReturned: 100,
  TxnDateRangeFilter: { FromTxnDate: '2026-05-01', ToTxnDate: '2026-05-31' },
  EntityFilter: { FullName: ['Shopify POS Walk-in'] },
  IncludeLineItems: true,
  IncludeRetElement: ['TxnID', 'EditSequence', 'RefNumber', 'TxnDate', 'ExternalGUID'],
  OwnerID: [OWNER_ID],
};

function salesLine(item: string, desc: string, quantity: string, rate: string, amount: bigint) {
  return {
    ItemRef: named(item),
    Desc: desc,
    Quantity: quantity,
    Rate: rate,
    ClassRef: named('Shopify:Downtown Store'),
    Amount: amount,
    ServiceDate: '2026-05-14',
    SalesTaxCodeRef: named('Non'),
    Other1: 'SKU-TEE-BLU-M',
    DataExt: dataExt,
  };
}

const header = (ref: string) => ({
  CustomerRef: named('Shopify POS Walk-in'),
  ClassRef: named('Shopify:Downtown Store'),
  TxnDate: '2026-05-14',
  RefNumber: ref,
  BillAddress: address,
  ShipAddress: address,
});

const BODIES: { [K in MessageName]: QbxmlRequest['body'] & object } = {
  ...CHANGE_BODIES,
  HostQuery: { IncludeListMetaData: { IncludeMaxCapacity: true } },
  CompanyQuery: { IncludeRetElement: ['CompanyName', 'DataExtRet'], OwnerID: [OWNER_ID] },
  PreferencesQuery: { IncludeRetElement: ['SalesTaxPreferences', 'PurchasesAndVendorsPreferences'] },
  AccountAdd: {
    AccountAdd: {
      Name: 'Shopify Payments Clearing',
      IsActive: true,
      ParentRef: named('Clearing Accounts'),
      AccountType: 'OtherCurrentAsset',
      AccountNumber: '12010',
      Desc: 'Card payments captured by Shopify Payments, cleared by payouts',
      OpenBalance: 0n,
      OpenBalanceDate: '2026-01-01',
    },
  },
  AccountMod: {
    AccountMod: {
      ListID: '80000012-1715000000',
      EditSequence: '1715000001',
      Name: 'Shopify Payments Clearing',
      IsActive: true,
      AccountNumber: '12010',
      Desc: 'Card payments captured by Shopify Payments',
    },
  },
  AccountQuery: { ...listQuery, AccountType: ['Income', 'OtherCurrentAsset'] },
  PaymentMethodAdd: {
    PaymentMethodAdd: { Name: 'Shopify Payments', IsActive: true, PaymentMethodType: 'OtherCreditCard' },
  },
  PaymentMethodQuery: {
    MaxReturned: 100,
    ActiveStatus: 'All',
    NameFilter: { MatchCriterion: 'StartsWith', Name: 'Shopify' },
    PaymentMethodType: ['OtherCreditCard', 'Cash', 'GiftCard'],
    IncludeRetElement: ['ListID', 'Name'],
  },
  ClassAdd: { ClassAdd: { Name: 'Downtown Store', IsActive: true, ParentRef: named('Shopify') } },
  ClassMod: {
    ClassMod: { ListID: '80000003-1715000000', EditSequence: '1715000002', Name: 'Downtown Store', IsActive: true },
  },
  ClassQuery: { ...listQuery, OwnerID: undefined },
  CustomerAdd: {
    CustomerAdd: {
      Name: "Ada O'Neill (#4471)",
      IsActive: true,
      ClassRef: named('Shopify:Downtown Store'),
      CompanyName: 'Northwind Outfitters',
      Salutation: 'Ms.',
      FirstName: 'Ada',
      LastName: "O'Neill",
      BillAddress: address,
      ShipAddress: address,
      Phone: '+1 503 555 0142',
      Email: 'ada@example.com',
      Contact: "Ada O'Neill",
      Notes: 'Shopify customer gid://shopify/Customer/4471',
      ExternalGUID: externalGuidFor('customer:4471'),
    },
  },
  CustomerMod: {
    CustomerMod: {
      ListID: '80000021-1715000000',
      EditSequence: '1715000003',
      Name: "Ada O'Neill (#4471)",
      CompanyName: 'Northwind Outfitters',
      BillAddress: address,
      Phone: '+1 503 555 0142',
      Email: 'ada@example.com',
    },
  },
  CustomerQuery: { ...listQuery },
  VendorAdd: {
    VendorAdd: {
      Name: 'Blue Harbor Textiles',
      IsActive: true,
      CompanyName: 'Blue Harbor Textiles Ltd.',
      VendorAddress: address,
      Phone: '+1 206 555 0199',
      Email: 'orders@blueharbor.example',
      Contact: 'Sam Lee',
      NameOnCheck: 'Blue Harbor Textiles Ltd.',
      AccountNumber: 'NW-2231',
      Notes: 'Shopify supplier',
      ExternalGUID: externalGuidFor('vendor:blue-harbor'),
    },
  },
  VendorMod: {
    VendorMod: {
      ListID: '80000031-1715000000',
      EditSequence: '1715000004',
      Name: 'Blue Harbor Textiles',
      Email: 'orders@blueharbor.example',
    },
  },
  VendorQuery: { ...listQuery },
  ItemInventoryAdd: {
    ItemInventoryAdd: {
      Name: 'TEE-BLU-M',
      IsActive: true,
      ParentRef: named('Tees'),
      ManufacturerPartNumber: 'BH-TEE-100',
      SalesTaxCodeRef: named('Tax'),
      SalesDesc: 'Organic tee, blue, M',
      SalesPrice: 2500n,
      IncomeAccountRef: named('Sales:Product Sales'),
      PurchaseDesc: 'Organic tee, blue, M (wholesale)',
      PurchaseCost: '9.40500',
      COGSAccountRef: named('Cost of Goods Sold'),
      PrefVendorRef: named('Blue Harbor Textiles'),
      AssetAccountRef: named('Inventory Asset'),
      ReorderPoint: 10,
      QuantityOnHand: 48,
      TotalValue: 45144n,
      InventoryDate: '2026-05-01',
      ExternalGUID: externalGuidFor('variant:901'),
    },
  },
  ItemInventoryQuery: { ...listQuery },
  ItemNonInventoryAdd: {
    ItemNonInventoryAdd: {
      Name: 'Gift wrap',
      IsActive: true,
      SalesTaxCodeRef: named('Tax'),
      SalesOrPurchase: { Desc: 'Gift wrapping', Price: '4.00', AccountRef: named('Sales:Other Sales') },
      ExternalGUID: externalGuidFor('product:giftwrap'),
    },
  },
  ItemNonInventoryQuery: { ...listQuery },
  ItemServiceAdd: {
    ItemServiceAdd: {
      Name: 'Alterations',
      IsActive: true,
      SalesTaxCodeRef: named('Non'),
      SalesAndPurchase: {
        SalesDesc: 'Hemming and alterations',
        SalesPrice: '15.00',
        IncomeAccountRef: named('Sales:Services'),
        PurchaseDesc: 'Tailor',
        PurchaseCost: '8.00',
        ExpenseAccountRef: named('Cost of Goods Sold'),
        PrefVendorRef: named('Blue Harbor Textiles'),
      },
      ExternalGUID: externalGuidFor('product:alterations'),
    },
  },
  ItemServiceQuery: { ...listQuery },
  ItemOtherChargeAdd: {
    ItemOtherChargeAdd: {
      Name: 'Shipping',
      IsActive: true,
      SalesTaxCodeRef: named('Non'),
      SalesOrPurchase: { Desc: 'Shipping charged to customers', Price: '0.00', AccountRef: named('Shipping Income') },
      ExternalGUID: externalGuidFor('charge:shipping'),
    },
  },
  ItemOtherChargeQuery: { ...listQuery },
  ItemDiscountAdd: {
    ItemDiscountAdd: {
      Name: 'Shopify Discount',
      IsActive: true,
      ItemDesc: 'Discounts given in Shopify',
      SalesTaxCodeRef: named('Non'),
      DiscountRate: '0.00',
      AccountRef: named('Sales:Discounts'),
      ExternalGUID: externalGuidFor('discount:shopify'),
    },
  },
  ItemDiscountQuery: { ...listQuery },
  ItemSalesTaxAdd: {
    ItemSalesTaxAdd: {
      Name: 'Shopify Tax',
      IsActive: true,
      ItemDesc: 'Sales tax as computed by Shopify (posted as lines; QuickBooks rate stays 0 %)',
      TaxRate: '0.0',
      TaxVendorRef: named('State Department of Revenue'),
      ExternalGUID: externalGuidFor('tax:shopify'),
    },
  },
  ItemSalesTaxQuery: { ...listQuery },
  ItemPaymentAdd: {
    ItemPaymentAdd: {
      Name: 'Gift card redeemed',
      IsActive: true,
      ItemDesc: 'Payment by Shopify gift card',
      DepositToAccountRef: named('Gift Card Liability'),
      PaymentMethodRef: named('Gift Card'),
      ExternalGUID: externalGuidFor('payment:giftcard'),
    },
  },
  ItemPaymentQuery: { ...listQuery },
  ItemQuery: {
    MaxReturned: 100,
    ActiveStatus: 'All',
    NameFilter: { MatchCriterion: 'StartsWith', Name: 'TEE' },
    IncludeRetElement: ['ListID', 'FullName', 'EditSequence'],
    OwnerID: [OWNER_ID],
  },
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
};

/** The sample request of every supported message (queries that can iterate start an iterator). */
export function sampleRequests(): QbxmlRequest[] {
  return (Object.keys(MESSAGES) as MessageName[]).map((type, index) => {
    const iterates = typeInfo(messageDef(type).rq).attributeNames.has('iterator');
    return {
      type,
      requestID: `${type}-${index + 1}`,
      body: BODIES[type],
      ...(iterates ? { attributes: { iterator: 'Start' } } : {}),
    } as QbxmlRequest;
  });
}
