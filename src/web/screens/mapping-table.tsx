/**
 * The account mapping as a table: each Shopify category with a picker of the company's own accounts of the
 * right types, or the new account the connector would create (with its type); a problem shows on its row.
 */
import { DataTable, Select } from '@shopify/polaris';
import { useEffect } from 'react';
import type { AccountProposal, MappingProblem, QuickBooksAccount } from '../api-types.ts';
import { useI18n } from '../i18n/i18n.tsx';

export interface MappingTableProps {
  categories: { category: string; types: string[] }[];
  accounts: QuickBooksAccount[];
  newAccounts: AccountProposal[];
  mapping: Record<string, string>;
  problems: MappingProblem[];
  onChange(category: string, account: string): void;
}

export function MappingTable(props: MappingTableProps) {
  const i18n = useI18n();
  const { t } = i18n;
  // A save the server refused for the mapping: the focus goes to the first row it names (its picker describes
  // the problem), where a keyboard or screen reader user can fix it, rather than staying on Save.
  useEffect(() => {
    const first = props.problems[0];
    if (first) document.getElementById(`mapping-${first.category}`)?.focus();
  }, [props.problems]);
  const label = (category: string) => {
    const key = `mapping.${category}`;
    return i18n.has(key) ? t(key) : category;
  };
  const typeName = (type: string) => {
    const key = `accountType.${type}`;
    return i18n.has(key) ? t(key) : type;
  };
  /**
   * A problem in the merchant's words: the server's own sentence in English; in another language the catalogue's,
   * filled from what the table knows (the accounts chosen, their types, which other row shares one).
   */
  const problemText = (problem: MappingProblem, types: string[]): string => {
    const key = `mapping.problem.${problem.problem}`;
    if (i18n.locale === 'en' || !problem.category || !i18n.has(key)) return problem.text;
    const account = props.mapping[problem.category] ?? '';
    const same = (name: string | undefined) => name?.trim().toLowerCase() === account.trim().toLowerCase();
    const other = props.categories.find((c) => c.category !== problem.category && same(props.mapping[c.category]));
    const type = props.accounts.find((a) => same(a.fullName))?.type;
    return t(key, {
      category: label(problem.category),
      account,
      other: other ? label(other.category) : '',
      type: type ? typeName(type) : '',
      allowed: types.map(typeName).join(` ${t('mapping.problem.or')} `),
    });
  };
  const rows = props.categories.map(({ category, types }) => {
    const fitting = props.accounts
      .filter((account) => types.includes(account.type))
      .map((account) => ({ label: `${account.fullName} (${typeName(account.type)})`, value: account.fullName }));
    const proposals = props.newAccounts
      .filter((p) => p.category === category && !fitting.some((f) => f.value === p.fullName))
      .map((p) => ({
        label: t('settings.createNew', { name: p.fullName, type: typeName(p.type) }),
        value: p.fullName,
      }));
    const current = props.mapping[category] ?? '';
    const known = [...fitting, ...proposals];
    // A mapping to an account the file no longer has still shows, so the problem beside it makes sense.
    const options =
      current && !known.some((o) => o.value === current) ? [{ label: current, value: current }, ...known] : known;
    const problem = props.problems.find((p) => p.category === category);
    const id = `mapping-${category}`;
    return [
      label(category),
      // Polaris' table cells do not wrap: a problem's sentence beside the picker would widen the table past the
      // card (scrolling the pickers out of sight) instead of wrapping under it.
      <div key={category} style={{ minWidth: '18rem', whiteSpace: 'normal' }}>
        <Select
          id={id}
          label={label(category)}
          labelHidden
          options={options}
          value={current}
          onChange={(value) => props.onChange(category, value)}
          {...(problem ? { error: problemText(problem, types) } : {})}
        />
      </div>,
    ];
  });
  return (
    <DataTable
      columnContentTypes={['text', 'text']}
      headings={[t('settings.category'), t('settings.account')]}
      rows={rows}
      verticalAlign="middle"
    />
  );
}
