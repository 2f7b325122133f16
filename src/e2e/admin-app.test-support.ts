/**
 * What the admin app's browser tests share: the catalogues' strings filled as the page shows them, the
 * QuickBooks user's own changes to the company file, Web Connector runs until nothing is left, and `tabTo`, the
 * keyboard-only merchant's way of reaching a control.
 */
import assert from 'node:assert/strict';
import type { Frame, Locator, Page } from 'playwright-core';
import type { en, sv } from '../web/index.ts';
import { type Harness, qbRequest } from './harness.test-support.ts';

export type Messages = typeof en | typeof sv;

export const fill = (text: string, values: Record<string, string | number>) =>
  text.replace(/\{(\w+)\}/g, (_w, name: string) => String(values[name]));

/** The part of a catalogue string before its first placeholder: what the page shows whatever the values. */
export const prefix = (text: string) => text.split('{')[0]!.trim();

/** A QuickBooks user makes an account inactive (or active again) in the company file. */
export function setAccountActive(h: Harness, name: string, active: boolean): void {
  h.withCompany((company) => {
    const found = qbRequest(company, `<AccountQueryRq requestID="1"><FullName>${name}</FullName></AccountQueryRq>`);
    assert.ok(found.ok);
    const account = found.value.responses[0]!.rets[0]!;
    const changed = qbRequest(
      company,
      `<AccountModRq requestID="2"><AccountMod><ListID>${account.ListID}</ListID><EditSequence>${account.EditSequence}</EditSequence><IsActive>${active}</IsActive></AccountMod></AccountModRq>`,
    );
    assert.ok(changed.ok && changed.value.responses[0]!.statusCode === 0);
  });
}

/** Web Connector sessions until one finds nothing to do (documents behind an attention item wait). */
export async function runWebConnector(h: Harness, maxSessions = 10): Promise<void> {
  for (let i = 0; i < maxSessions; i++) {
    const log = await h.session();
    if (log.outcome === 'no-work') return;
    assert.ok(log.outcome === 'completed', `Web Connector session: ${log.outcome} ${log.message}`);
  }
}

/** Whether `target` has the keyboard focus. */
export function hasFocus(target: Locator): Promise<boolean> {
  return target.evaluate((el) => el.matches(':focus'));
}

/**
 * Moves the focus with Tab until `target` has it: what a keyboard-only merchant does. Fails when the control
 * cannot be reached within `max` presses, which is the point. `backwards` uses Shift+Tab (a control above the
 * focus is nearer that way).
 */
export async function tabTo(
  page: Page,
  target: Locator,
  what: string,
  options: { max?: number; backwards?: boolean } = {},
): Promise<void> {
  await target.waitFor();
  const max = options.max ?? 60;
  for (let i = 0; i < max; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(options.backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`${what} cannot be reached with the ${options.backwards ? 'Shift+Tab' : 'Tab'} key`);
}

/** A short description of the focused element, for a failing assertion's message. */
export function focused(app: Page | Frame): Promise<string> {
  // A string, evaluated in the page: this program's types have no DOM.
  return app.evaluate<string>(`(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nothing (the page body)';
    return el.tagName.toLowerCase() + ' “' + (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60) + '”';
  })()`);
}

/** The part of a DOM select these tests read (this program's types have no DOM). */
export interface SelectElement {
  options: Iterable<{ value: string }>;
}

/**
 * Chooses `value` in a focused native select with the arrow keys (Chromium changes a closed select's value with
 * them, as a keyboard user does). Fails when the option is not reachable.
 */
export async function chooseWithArrows(page: Page, select: Locator, value: string, what: string): Promise<void> {
  const options = await select.evaluate((el) => [...(el as unknown as SelectElement).options].map((o) => o.value));
  const want = options.indexOf(value);
  assert.ok(want >= 0, `${what} offers ${value}: ${options.join(', ')}`);
  assert.ok(await hasFocus(select), `${what} has the focus`);
  const at = options.indexOf(await select.inputValue());
  for (let i = 0; i < Math.abs(want - at); i++) await page.keyboard.press(want > at ? 'ArrowDown' : 'ArrowUp');
  assert.equal(await select.inputValue(), value, `${what} takes ${value} from the keyboard`);
}

/**
 * Types a date (YYYY-MM-DD) into a focused date field the way a merchant in the en-US locale does: month, day
 * and year, each segment moving on by itself.
 */
export async function typeDate(page: Page, field: Locator, date: string): Promise<void> {
  const [year, month, day] = date.split('-');
  assert.ok(await hasFocus(field), 'the date field has the focus');
  await page.keyboard.type(`${month}${day}${year}`);
  assert.equal(await field.inputValue(), date, 'the date typed is the date the field holds');
}
