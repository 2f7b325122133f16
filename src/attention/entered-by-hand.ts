/**
 * Answering an attention item the connector cannot post by entering it in QuickBooks by hand (a refund whose
 * amounts fit no reading): the merchant says so, and the connector records who and when, never posts it (the sync
 * no longer produces it), stops listing it, and the reconciliation expects it in QuickBooks from then on.
 */
import { ConnectorError, err, ok, type Result } from '../errors/index.ts';
import { type HandEntry, recordHandEntry } from '../integration/index.ts';
import type { AuditActor, Queryable } from '../storage/index.ts';
import { type AttentionItem, type AttentionOptions, listAttention } from './attention.ts';

export interface EnteredByHandOptions extends AttentionOptions {
  /** The item's id as listed (`held-back:refund/123`). */
  id: string;
  actor: AuditActor;
  /** Who entered it, in the merchant's words (a name, an initial); and a note for the accountant. */
  enteredBy?: string | null;
  note?: string | null;
}

const MAX_TEXT = 200;

/** Marks one listed item entered in QuickBooks by hand, only if it is listed now for this shop and can be. */
export async function markEnteredInQuickBooks(q: Queryable, options: EnteredByHandOptions): Promise<Result<HandEntry>> {
  const items = await listAttention(q, options);
  const item = items.find((candidate) => String(candidate.id) === options.id);
  if (!item?.enterableByHand) return err(notEnterable(options.id, item));
  for (const [field, value] of [
    ['enteredBy', options.enteredBy],
    ['note', options.note],
  ] as const) {
    if (value !== undefined && value !== null && (typeof value !== 'string' || value.length > MAX_TEXT)) {
      return err(
        new ConnectorError({
          code: 'ATTENTION_INPUT_INVALID',
          message: `${field} must be text of at most ${MAX_TEXT} characters`,
          merchantMessage: `Say who entered it, and any note, in at most ${MAX_TEXT} characters.`,
          merchantMustAct: true,
          details: { field },
        }),
      );
    }
  }
  const entry = await recordHandEntry(
    q,
    {
      shopId: options.shopId,
      subject: item.key,
      code: item.code ?? '',
      actor: options.actor,
      enteredBy: options.enteredBy?.trim() || null,
      note: options.note?.trim() || null,
    },
    options.now,
  );
  return ok(entry);
}

function notEnterable(id: string, item: AttentionItem | undefined): ConnectorError {
  return new ConnectorError({
    code: item ? 'ATTENTION_NOT_ENTERABLE_BY_HAND' : 'ENTRY_UNKNOWN',
    message: item ? `Attention item ${id} is not one to enter in QuickBooks by hand` : `No attention item ${id}`,
    merchantMessage: item
      ? `This item is not one you enter in QuickBooks yourself: ${item.whatToDo}`
      : 'Nothing needs your attention under that id (it may already be answered): see the attention list.',
    details: { id },
  });
}
