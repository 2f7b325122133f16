/**
 * Classes: one per location the posted documents name, when locations become classes. A class QuickBooks already
 * has under the same name (one the merchant made) is adopted rather than added again.
 */
import type { ClassRecord } from '../documents.ts';
import { locationLabel } from '../input.ts';
import type { ListKind } from './kind.ts';

export const classKind: ListKind<ClassRecord> = {
  priority: 90,
  nameList: 'classes',
  adopts: 'classes',
  records(input) {
    const keys = new Set<string>();
    for (const document of input.documents) {
      if ('classKey' in document && document.classKey) keys.add(document.classKey);
      if ('lines' in document) for (const l of document.lines) if ('classKey' in l && l.classKey) keys.add(l.classKey);
    }
    return [...keys].sort().map((key) => ({
      key,
      name: { wanted: locationLabel(key.slice('class/'.length), input.locationNames), fallback: 'Location', since: '' },
      named: (name) => ({ kind: 'class', key, name }),
    }));
  },
  plan: (record) => ({ message: 'ClassAdd', body: { ClassAdd: { Name: record.name } } }),
};
