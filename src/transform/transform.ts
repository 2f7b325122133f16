/**
 * The transform: Shopify source records + settings → list records and accounting documents. Pure: no I/O, no
 * clock, no randomness; the same input always gives the same documents with the same keys, in the same order.
 * What each kind of document or record is, and how it is made, is in its module under `kinds/`: this runs them.
 */
import type { ListRecord, TransactionDocument } from './documents.ts';
import type { TransformNote } from './fragments.ts';
import { compare, prepare, type TransformResult, type TransformSettings, type TransformSources } from './input.ts';
import type { ListDraft, ListInput, NameList } from './kinds/kind.ts';
import { DOCUMENT_KINDS, DOCUMENT_RULES, LIST_KINDS } from './kinds/registry.ts';
import { assignNames, ITEM_NAME_MAX, NAME_MAX, type NameRequest } from './names.ts';

export {
  localDateIn,
  locationLabel,
  ONLINE_LOCATION,
  type TransformResult,
  type TransformSettings,
  type TransformSources,
} from './input.ts';

/** Each name list: the longest name QuickBooks takes, and the names in it that are not the connector's. */
const NAME_LISTS: Record<NameList, { max: number; reserved(settings: TransformSettings): readonly string[] }> = {
  names: { max: NAME_MAX, reserved: (settings) => settings.reservedNames?.names ?? [] },
  items: { max: ITEM_NAME_MAX, reserved: (settings) => settings.reservedNames?.items ?? [] },
  paymentMethods: { max: ITEM_NAME_MAX, reserved: () => [] },
  classes: { max: ITEM_NAME_MAX, reserved: () => [] },
};

const LIST_ORDER: readonly string[] = Object.keys(LIST_KINDS);

export function transform(sources: TransformSources, settings: TransformSettings): TransformResult {
  const input = prepare(sources, settings);
  const documents: TransactionDocument[] = [];
  for (const rule of [...Object.values(DOCUMENT_KINDS), ...DOCUMENT_RULES]) {
    if (!rule.documents) continue;
    for (const document of rule.documents(input)) {
      if (settings.startDate === null || document.date >= settings.startDate) documents.push(document);
    }
  }
  const lists = listRecords({ ...input, documents });
  documents.sort((a, b) => compare(a.date, b.date) || compare(a.key, b.key));
  return { lists, documents, notes: dedupeNotes(input.notes) };
}

/** The list records the documents use, each named uniquely within its QuickBooks name list. */
function listRecords(input: ListInput): ListRecord[] {
  const drafts: { draft: ListDraft<ListRecord>; nameList: NameList | null }[] = [];
  const requests = new Map<NameList, NameRequest[]>();
  for (const kind of Object.values(LIST_KINDS)) {
    for (const draft of kind.records(input)) {
      drafts.push({ draft, nameList: kind.nameList });
      if (kind.nameList === null) continue;
      const list = requests.get(kind.nameList) ?? [];
      list.push({ key: draft.key, ...draft.name });
      requests.set(kind.nameList, list);
    }
  }
  const names = new Map<NameList, Map<string, string>>();
  for (const [list, wanted] of requests) {
    names.set(list, assignNames(wanted, NAME_LISTS[list].max, NAME_LISTS[list].reserved(input.settings)));
  }
  const lists = drafts.map(({ draft, nameList }) =>
    draft.named(nameList === null ? draft.name.wanted : names.get(nameList)!.get(draft.key)!),
  );
  lists.sort((a, b) => LIST_ORDER.indexOf(a.kind) - LIST_ORDER.indexOf(b.kind) || compare(a.key, b.key));
  return lists;
}

function dedupeNotes(notes: readonly TransformNote[]): TransformNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const id = `${n.key}|${n.code}|${n.text}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}
