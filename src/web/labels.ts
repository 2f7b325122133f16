/**
 * Words for the ids the API answers with (qbXML message names, outbox states, Shopify's gateway ids, the states of
 * what needs attention): the catalogue's entry when there is one, else the server's English or the id made
 * readable — never a raw id where a merchant reads.
 */
import type { AttentionItem } from './api-types.ts';
import type { I18n } from './i18n/i18n.tsx';

type Words = Pick<I18n, 'locale' | 't' | 'has'>;

/** A qbXML message (`SalesReceiptAdd`) as a kind of document; `fallback` is the server's label. */
export function kindLabel(i18n: Words, kind: string, fallback?: string): string {
  const key = `kind.${kind}`;
  if (i18n.has(key)) return i18n.t(key);
  if (fallback) return fallback;
  return kind.replace(/(Add|Mod|Del)$/, '').replace(/([a-z])([A-Z])/g, '$1 $2');
}

export function documentStateLabel(i18n: Words, state: string, fallback: string): string {
  const key = `documentState.${state}`;
  return i18n.has(key) ? i18n.t(key) : fallback;
}

/** Shopify's gateway id (`cash_on_delivery_(cod)`), or a group sharing one clearing account (`cash+manual`). */
export function gatewayLabel(i18n: Words, gateway: string): string {
  return gateway
    .split('+')
    .map((id) => {
      const key = `gateway.${id}`;
      if (i18n.has(key)) return i18n.t(key);
      const words = id.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
      return words.charAt(0).toUpperCase() + words.slice(1);
    })
    .join(', ');
}

/**
 * What to do about an item. English merchants read the server's own words (they name the code and the record);
 * otherwise the catalogue's words for the kind of item, falling back to the server's when the kind is new.
 */
export function whatToDoText(i18n: Words, item: AttentionItem): string {
  // The server's words for these name the CLI and the API; in the app the answer is the button beside them.
  if (item.enterableByHand) return i18n.t('attention.todo.enteredByHand');
  const server = item.whatToDo ?? i18n.t('attention.defaultWhatToDo');
  if (i18n.locale === 'en') return server;
  const code = item.code ?? '';
  const key =
    item.type === 'sync'
      ? item.state === 'failed'
        ? 'attention.todo.syncFailed'
        : `attention.todo.${item.state}`
      : item.type === 'connection'
        ? item.state === 'locked-out' || item.state === 'absent'
          ? `attention.todo.${item.state}`
          : 'attention.todo.session'
        : item.state === 'leased' || item.state === 'sent'
          ? 'attention.todo.stalled'
          : item.state === 'applied'
            ? null
            : `attention.todo.${item.state}`;
  return key && i18n.has(key) ? i18n.t(key, { code }) : server;
}
