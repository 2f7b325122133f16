/** Accounts the setup creates (the merchant chose them in the account mapping): created before anything uses them. */
import type { Category } from '../accounts.ts';
import type { AccountRecord, ListRecord } from '../documents.ts';
import type { ListKind, PlanContext } from './kind.ts';

function categoryOf(accountKey: string): Category {
  return accountKey.slice('account/'.length) as Category;
}

/** An account's name with its parents' (`Parent:Child`), as QuickBooks names a subaccount. */
function fullAccountName(record: ListRecord, ctx: PlanContext): string {
  if (record.kind !== 'account') return record.name;
  const parent = record.parentKey ? ctx.record(record.parentKey) : undefined;
  return parent ? `${fullAccountName(parent, ctx)}:${record.name}` : record.name;
}

export const account: ListKind<AccountRecord> = {
  priority: 100,
  nameList: null,
  records(input) {
    const proposals = input.settings.accountsToCreate ?? [];
    return proposals.map((proposal) => {
      const parent = proposals.find((p) => p.fullName === proposal.parentFullName);
      const key = `account/${proposal.category}`;
      return {
        key,
        name: { wanted: proposal.name, fallback: 'Account', since: '' },
        named: (name) => ({
          kind: 'account',
          key,
          name,
          parentKey: parent ? `account/${parent.category}` : null,
          type: proposal.type,
          category: proposal.category,
        }),
      };
    });
  },
  plan(record, ctx) {
    ctx.need(record.parentKey);
    if (!record.parentKey) {
      return { message: 'AccountAdd', body: { AccountAdd: { Name: record.name, AccountType: record.type } } };
    }
    const parent = ctx.record(record.parentKey);
    // A parent the connector does not create is one of the merchant's accounts, named by the mapping.
    const parentName =
      parent?.kind === 'account' ? fullAccountName(parent, ctx) : ctx.mapping[categoryOf(record.parentKey)];
    return {
      message: 'AccountAdd',
      body: { AccountAdd: { Name: record.name, ParentRef: { FullName: parentName }, AccountType: record.type } },
    };
  },
};
