/**
 * Customers. Sales without a customer (and every sale in Summary mode) go to one customer per location; Detailed
 * mode adds one per Shopify customer. Customers and vendors share QuickBooks' name list.
 */
import type { CustomerAdd } from '../../qbxml/index.ts';
import { numericId } from '../amounts.ts';
import type { CustomerRecord } from '../documents.ts';
import { compare, locationCustomer, locationLabel } from '../input.ts';
import { cleanName, NAME_MAX } from '../names.ts';
import type { ListDraft, ListInput, ListKind, Planned } from './kind.ts';

type CustomerFields = Omit<CustomerRecord, 'kind' | 'key' | 'name'>;

function draft(
  key: string,
  name: ListDraft<CustomerRecord>['name'],
  fields: CustomerFields,
): ListDraft<CustomerRecord> {
  return { key, name, named: (given) => ({ kind: 'customer', key, ...fields, name: given }) };
}

function locationCustomers(input: ListInput): ListDraft<CustomerRecord>[] {
  const locations = new Set<string>();
  for (const document of input.documents) {
    if ('customer' in document && document.customer.startsWith('customer/location/'))
      locations.add(document.customer.slice('customer/location/'.length));
  }
  return [...locations].sort().map((location) => {
    const where = locationLabel(location, input.locationNames);
    return draft(
      locationCustomer(location),
      { wanted: `Shopify ${where}`, fallback: 'Shopify Customer', since: '' },
      {
        companyName: null,
        firstName: null,
        lastName: null,
        email: null,
        phone: null,
        address: null,
        notes:
          input.settings.modes.customers === 'summary'
            ? `All Shopify sales at ${where} (Summary mode)`
            : `Shopify sales without a customer at ${where}`,
      },
    );
  });
}

function shopifyCustomers(input: ListInput): ListDraft<CustomerRecord>[] {
  return [...input.sources.customers]
    .sort((a, b) => compare(a.id, b.id))
    .map((customer) => {
      const full =
        customer.displayName?.trim() ||
        [customer.firstName, customer.lastName].filter(Boolean).join(' ') ||
        customer.defaultEmailAddress?.emailAddress ||
        '';
      const address = customer.defaultAddress;
      return draft(
        `customer/${numericId(customer.id)}`,
        { wanted: full, fallback: 'Customer', since: customer.createdAt },
        {
          companyName: address?.company ? cleanName(address.company, NAME_MAX) : cleanName(full, NAME_MAX) || null,
          firstName: customer.firstName ? cleanName(customer.firstName, 25) : null,
          lastName: customer.lastName ? cleanName(customer.lastName, 25) : null,
          email: customer.defaultEmailAddress?.emailAddress ?? null,
          phone: customer.defaultPhoneNumber?.phoneNumber
            ? cleanName(customer.defaultPhoneNumber.phoneNumber, 21)
            : null,
          address: address
            ? {
                lines: [address.address1, address.address2]
                  .filter((l): l is string => Boolean(l))
                  .map((l) => cleanName(l, 41)),
                city: address.city ? cleanName(address.city, 31) : null,
                state: address.provinceCode ? cleanName(address.provinceCode, 21) : null,
                postalCode: address.zip ? cleanName(address.zip, 13) : null,
                country: address.country ? cleanName(address.country, 31) : null,
              }
            : null,
          notes: `Shopify customer ${numericId(customer.id)}: ${full}`,
        },
      );
    });
}

const ADDRESS_LINES = ['Addr1', 'Addr2', 'Addr3', 'Addr4', 'Addr5'] as const;

export const customer: ListKind<CustomerRecord> = {
  priority: 70,
  nameList: 'names',
  records: (input) => [
    ...locationCustomers(input),
    ...(input.settings.modes.customers === 'detailed' ? shopifyCustomers(input) : []),
  ],
  plan(record, ctx) {
    const add: CustomerAdd<Planned> = { Name: record.name };
    if (record.companyName) add.CompanyName = record.companyName;
    if (record.firstName) add.FirstName = record.firstName;
    if (record.lastName) add.LastName = record.lastName;
    const address = record.address;
    if (address) {
      const bill: NonNullable<CustomerAdd<Planned>['BillAddress']> = {};
      address.lines.slice(0, ADDRESS_LINES.length).forEach((line, i) => {
        bill[ADDRESS_LINES[i]!] = line;
      });
      if (address.city) bill.City = address.city;
      if (address.state) bill.State = address.state;
      if (address.postalCode) bill.PostalCode = address.postalCode;
      if (address.country) bill.Country = address.country;
      add.BillAddress = bill;
    }
    if (record.phone) add.Phone = record.phone;
    if (record.email && record.email.length <= 1023) add.Email = record.email;
    add.Notes = record.notes;
    add.ExternalGUID = ctx.guid;
    return { message: 'CustomerAdd', body: { CustomerAdd: add } };
  },
};
