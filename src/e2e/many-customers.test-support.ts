/** A shop too big for Detailed customers on QuickBooks Pro or Premier, for the 14,500 projection's tests. */
import type { Customer } from '../domain/index.ts';

/** More Shopify customers than QuickBooks Premier's 10,500 in one name list. */
export const EXTRA_CUSTOMERS = 10_600;

export function withManyCustomers(data: { customers: Customer[] }): void {
  const template = data.customers[0]!;
  for (let i = 0; i < EXTRA_CUSTOMERS; i++) {
    data.customers.push({
      ...template,
      id: `gid://shopify/Customer/${9_000_000 + i}`,
      displayName: `Member ${i + 1}`,
      firstName: 'Member',
      lastName: String(i + 1),
      defaultEmailAddress: { emailAddress: `member${i + 1}@example.com` },
    });
  }
}
