import type { Books } from './books.ts';
import { COST_SCALE, divideRounded, QUANTITY_SCALE } from './decimal.ts';

/**
 * Average-cost inventory, as QuickBooks Desktop keeps it: each item has a quantity on hand and an asset value;
 * receipts add their cost, sales remove quantity at the current average cost (the COGS), and selling more than is
 * on hand is allowed (negative inventory) at the last known average cost. Quantities are ×10^5, values are
 * hundredths, unit costs are hundredths ×10^6: every step is exact integer arithmetic.
 */
const UNIT = COST_SCALE * QUANTITY_SCALE;

export function averageUnitCost(quantity: bigint, value: bigint, lastCost: bigint): bigint {
  return quantity > 0n ? divideRounded(value * UNIT, quantity) : lastCost;
}

/** Removes `quantity` units (sale, negative adjustment); returns their cost, which the caller posts as COGS. */
export function removeInventory(books: Books, txnId: string, itemId: string, quantity: bigint): bigint {
  const state = books.file.inventory(itemId);
  const unitCost = averageUnitCost(state.quantity, state.value, state.lastCost);
  let cost: bigint;
  if (state.quantity > 0n && quantity === state.quantity) cost = state.value;
  else if (state.quantity > 0n && quantity < state.quantity)
    cost = divideRounded(state.value * quantity, state.quantity);
  else if (state.quantity > 0n) cost = state.value + divideRounded((quantity - state.quantity) * unitCost, UNIT);
  else cost = divideRounded(quantity * unitCost, UNIT);
  const next = { quantity: state.quantity - quantity, value: state.value - cost, lastCost: unitCost };
  if (next.quantity > 0n) next.lastCost = averageUnitCost(next.quantity, next.value, unitCost);
  books.file.setInventory(itemId, next);
  books.file.insertMove(txnId, itemId, -quantity, -cost, state.lastCost);
  return cost;
}

/** Adds `quantity` units worth `value` hundredths (receipt, positive adjustment, customer return). */
export function addInventory(books: Books, txnId: string, itemId: string, quantity: bigint, value: bigint): void {
  const state = books.file.inventory(itemId);
  const next = { quantity: state.quantity + quantity, value: state.value + value, lastCost: state.lastCost };
  if (next.quantity > 0n) next.lastCost = averageUnitCost(next.quantity, next.value, state.lastCost);
  else if (quantity > 0n) next.lastCost = divideRounded(value * UNIT, quantity);
  books.file.setInventory(itemId, next);
  books.file.insertMove(txnId, itemId, quantity, value, state.lastCost);
}

/** The cost at which `quantity` units come back (credit memo, positive adjustment without a value). */
export function costAtAverage(books: Books, itemId: string, quantity: bigint): bigint {
  const state = books.file.inventory(itemId);
  return divideRounded(quantity * averageUnitCost(state.quantity, state.value, state.lastCost), UNIT);
}

/** Undoes every inventory move of a transaction (delete or modify), newest first. */
export function undoInventory(books: Books, txnId: string): void {
  for (const move of books.file.movesOf(txnId)) {
    const state = books.file.inventory(move.itemId);
    books.file.setInventory(move.itemId, {
      quantity: state.quantity - move.quantity,
      value: state.value - move.value,
      lastCost: move.lastCostBefore,
    });
  }
  books.file.deleteMoves(txnId);
}
