/** The pieces the sample requests share: one owner, one address, the query filters and a sales line. */

export const OWNER_ID = '{6A0F3A52-2C0B-4E3F-9B8B-7D1F5C2E9A10}';
export const named = (FullName: string) => ({ FullName });
export const address = {
  Addr1: 'Northwind Outfitters',
  Addr2: '1200 Pine Street',
  Addr3: 'Suite 400',
  City: 'Portland',
  State: 'OR',
  PostalCode: '97205',
  Country: 'US',
  Note: 'Loading dock at the back',
};
export const dataExt = [{ OwnerID: OWNER_ID, DataExtName: 'ShopifyId', DataExtValue: 'gid://shopify/LineItem/1' }];

export const listQuery = {
  MaxReturned: 100,
  ActiveStatus: 'All' as const,
  FromModifiedDate: '2026-05-01T00:00:00',
  ToModifiedDate: '2026-05-31T23:59:59',
  NameFilter: { MatchCriterion: 'StartsWith' as const, Name: 'Shopify' },
  IncludeRetElement: ['ListID', 'EditSequence', 'FullName', 'IsActive'],
  OwnerID: [OWNER_ID],
};

export const txnQuery = {
  MaxReturned: 100,
  TxnDateRangeFilter: { FromTxnDate: '2026-05-01', ToTxnDate: '2026-05-31' },
  EntityFilter: { FullName: ['Shopify POS Walk-in'] },
  IncludeLineItems: true,
  IncludeRetElement: ['TxnID', 'EditSequence', 'RefNumber', 'TxnDate', 'ExternalGUID'],
  OwnerID: [OWNER_ID],
};

export function salesLine(item: string, desc: string, quantity: string, rate: string, amount: bigint) {
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

export const header = (ref: string) => ({
  CustomerRef: named('Shopify POS Walk-in'),
  ClassRef: named('Shopify:Downtown Store'),
  TxnDate: '2026-05-14',
  RefNumber: ref,
  BillAddress: address,
  ShipAddress: address,
});
