/**
 * The invariants every generated shop keeps (and any hand-written data file should keep), checked to the cent.
 * The accounting engine posts what the data says and reconciliation must tie out, so these are the contract:
 *
 * Per order (amounts in shop money):
 *  1. total = Σ(original unit price × quantity) − line discount allocations + shipping after its discounts
 *     + tax (only when tax is added on top, `taxesIncluded` false) + tip.
 *  2. subtotal = Σ line (price × quantity − allocations); totalDiscounts = Σ every allocation (lines and shipping).
 *  3. totalTax = Σ line tax lines + Σ shipping tax lines; per title, order taxLines = Σ of the same title below.
 *     Tax-inclusive orders carry the tax inside the prices and the tax lines give that part exactly.
 *  4. totalReceived = Σ successful SALE and CAPTURE − Σ successful CHANGE (cash handed back); for a PAID order
 *     totalReceived + totalCashRoundingAdjustment.paymentSet = total (the rounding is total − cash actually taken).
 *  5. Each refund: Σ its transactions + Σ their amountRoundingSet = Σ refund line subtotals + Σ refund shipping
 *     subtotals (the line's own price: tax in it when `taxesIncluded`) + their taxes only when prices exclude them
 *     + Σ order adjustments (amount + tax); totalRefundedSet = Σ its transactions;
 *     order totalRefunded = Σ REFUND transactions on the order; the refund transactions also appear in order.transactions.
 *  6. displayFinancialStatus agrees with the money: PAID when fully received, PARTIALLY_PAID, PENDING (nothing
 *     received), AUTHORIZED (authorisation only), VOIDED (cancelled before payment), REFUNDED / PARTIALLY_REFUNDED
 *     when refunds give back all / part of the total. Cancelled orders have cancelledAt; unfulfilled ones are not FULFILLED.
 *  7. Refunds are dated after the order's createdAt and processedAt; updatedAt ≥ every dated change (transactions,
 *     refunds, returns, cancellation).
 *  8. currentQuantity = quantity − Σ refunded quantity of the line.
 * Payments: each payout's net = Σ net of its balance transactions (a WITHDRAWAL carries the negative sum as a positive
 * net); chargesGross / chargesFee / refundsFeeGross add up the same way.
 */
import type { Money, MoneyBag, MoneyV2, Order, ShopDataFile } from '../../../domain/index.ts';
import { parseMoney, sumMoney } from '../../../domain/index.ts';

const m = (bag: MoneyBag | null | undefined): Money => (bag ? parseMoney(bag.shopMoney.amount) : 0n);
const v = (money: MoneyV2 | null | undefined): Money => (money ? parseMoney(money.amount) : 0n);

export function checkOrderInvariants(order: Order): string[] {
  const problems: string[] = [];
  const fail = (text: string) => problems.push(`${order.name}: ${text}`);
  const gross = sumMoney(order.lineItems.map((l) => m(l.originalUnitPriceSet) * BigInt(l.quantity)));
  const lineDiscounts = sumMoney(
    order.lineItems.flatMap((l) => l.discountAllocations.map((d) => m(d.allocatedAmountSet))),
  );
  const shippingDiscounts = sumMoney(
    order.shippingLines.flatMap((s) => s.discountAllocations.map((d) => m(d.allocatedAmountSet))),
  );
  const shipping = sumMoney(order.shippingLines.map((s) => m(s.discountedPriceSet)));
  const shippingOriginal = sumMoney(order.shippingLines.map((s) => m(s.originalPriceSet)));
  if (shippingOriginal - shippingDiscounts !== shipping) fail('shipping discountedPrice ≠ original − allocations');
  const lineTax = sumMoney(order.lineItems.flatMap((l) => l.taxLines.map((t) => m(t.priceSet))));
  const shippingTax = sumMoney(order.shippingLines.flatMap((s) => s.taxLines.map((t) => m(t.priceSet))));
  const tax = lineTax + shippingTax;
  const tip = m(order.totalTipReceivedSet);
  const fees = order.additionalFees ?? [];
  const feeTax = sumMoney(fees.flatMap((f) => f.taxLines.map((t) => m(t.priceSet))));
  const charges = m(order.originalTotalDutiesSet) + sumMoney(fees.map((f) => m(f.price)));
  const expected = gross - lineDiscounts + shipping + (order.taxesIncluded ? 0n : tax + feeTax) + tip + charges;
  if (m(order.totalPriceSet) !== expected) fail(`total ${m(order.totalPriceSet)} ≠ computed ${expected}`);
  if (m(order.subtotalPriceSet) !== gross - lineDiscounts) fail('subtotal ≠ Σ lines after discounts');
  if (m(order.totalDiscountsSet) !== lineDiscounts + shippingDiscounts) fail('totalDiscounts ≠ Σ allocations');
  if (m(order.totalTaxSet) !== tax) fail(`totalTax ${m(order.totalTaxSet)} ≠ Σ tax lines ${tax}`);
  if (m(order.totalShippingPriceSet) !== shipping) fail('totalShippingPrice ≠ Σ discounted shipping');
  const byTitle = new Map<string, Money>();
  for (const t of [...order.lineItems.flatMap((l) => l.taxLines), ...order.shippingLines.flatMap((s) => s.taxLines)]) {
    byTitle.set(t.title, (byTitle.get(t.title) ?? 0n) + m(t.priceSet));
  }
  for (const t of order.taxLines) {
    if ((byTitle.get(t.title) ?? 0n) !== m(t.priceSet)) fail(`order tax line ${t.title} ≠ Σ of its line taxes`);
  }
  if (order.taxLines.length === 0 && tax !== 0n) fail('tax without order tax lines');

  const ok = order.transactions.filter((t) => t.status === 'SUCCESS');
  const sum = (kinds: string[]) => sumMoney(ok.filter((t) => kinds.includes(t.kind)).map((t) => m(t.amountSet)));
  const received = sum(['SALE', 'CAPTURE']) - sum(['CHANGE']);
  if (m(order.totalReceivedSet) !== received)
    fail(`totalReceived ${m(order.totalReceivedSet)} ≠ sales − change ${received}`);
  const paymentRounding = m(order.totalCashRoundingAdjustment.paymentSet);
  const roundingOnSales = sumMoney(ok.filter((t) => t.kind === 'SALE').map((t) => m(t.amountRoundingSet)));
  if (roundingOnSales !== paymentRounding) fail('payment rounding ≠ Σ amountRoundingSet of sales');
  const total = m(order.totalPriceSet);
  const status = order.displayFinancialStatus;
  if (status === 'PAID' && received + paymentRounding !== total) fail(`PAID but received ${received} ≠ total ${total}`);
  if (status === 'PARTIALLY_PAID' && !(received > 0n && received + paymentRounding < total))
    fail('PARTIALLY_PAID mismatch');
  if (status === 'PENDING' && received !== 0n) fail('PENDING with money received');
  if (status === 'VOIDED' && (received !== 0n || order.cancelledAt === null)) fail('VOIDED mismatch');
  if (m(order.totalRefundedSet) !== sum(['REFUND'])) fail('totalRefunded ≠ Σ REFUND transactions');

  const orderMs = Math.max(Date.parse(order.createdAt), Date.parse(order.processedAt));
  const updatedMs = Date.parse(order.updatedAt);
  let refundRounding = 0n;
  let refundedValue = 0n;
  const refundedQuantity = new Map<string, number>();
  const transactionIds = new Set(order.transactions.map((t) => t.id));
  for (const refund of order.refunds) {
    const added = order.taxesIncluded ? 0n : 1n;
    const value =
      sumMoney(refund.refundLineItems.map((r) => m(r.subtotalSet) + added * m(r.totalTaxSet))) +
      sumMoney(refund.refundShippingLines.map((r) => m(r.subtotalAmountSet) + added * m(r.taxAmountSet))) +
      sumMoney(refund.orderAdjustments.map((a) => m(a.amountSet) + m(a.taxAmountSet)));
    refundedValue += value;
    const paid = sumMoney(refund.transactions.map((t) => m(t.amountSet)));
    const rounding = sumMoney(refund.transactions.map((t) => m(t.amountRoundingSet)));
    refundRounding += rounding;
    if (paid + rounding !== value)
      fail(`refund ${refund.id}: transactions ${paid} + rounding ${rounding} ≠ value ${value}`);
    if (m(refund.totalRefundedSet) !== paid) fail(`refund ${refund.id}: totalRefunded ≠ Σ transactions`);
    if (Date.parse(refund.createdAt) <= orderMs) fail(`refund ${refund.id} not after the order`);
    if (Date.parse(refund.updatedAt) > updatedMs) fail(`refund ${refund.id} updated after the order's updatedAt`);
    for (const t of refund.transactions)
      if (!transactionIds.has(t.id)) fail(`refund transaction ${t.id} missing from order.transactions`);
    for (const r of refund.refundLineItems) {
      refundedQuantity.set(r.lineItem.id, (refundedQuantity.get(r.lineItem.id) ?? 0) + r.quantity);
    }
  }
  if (m(order.totalCashRoundingAdjustment.refundSet) !== refundRounding) fail('refund rounding ≠ Σ refund roundings');
  if (status === 'REFUNDED' && refundedValue !== total) fail('REFUNDED but refunds ≠ total');
  if (status === 'PARTIALLY_REFUNDED' && !(refundedValue > 0n && refundedValue < total))
    fail('PARTIALLY_REFUNDED mismatch');
  if (refundedValue > 0n && status !== 'REFUNDED' && status !== 'PARTIALLY_REFUNDED')
    fail(`refunded but status ${status}`);
  for (const line of order.lineItems) {
    if (line.currentQuantity !== line.quantity - (refundedQuantity.get(line.id) ?? 0))
      fail(`${line.id} currentQuantity`);
  }
  for (const t of order.transactions) {
    if (Date.parse(t.createdAt) > updatedMs) fail(`transaction ${t.id} after updatedAt`);
  }
  for (const r of order.returns) if (Date.parse(r.createdAt) > updatedMs) fail(`return ${r.id} after updatedAt`);
  if (order.cancelledAt !== null && Date.parse(order.cancelledAt) > updatedMs) fail('cancelled after updatedAt');
  if (order.cancelledAt === null && order.cancelReason !== null) fail('cancelReason without cancelledAt');
  return problems;
}

export function checkShopInvariants(data: ShopDataFile): string[] {
  const problems = data.orders.flatMap(checkOrderInvariants);
  const account = data.shopifyPaymentsAccount;
  if (account) {
    const byPayout = new Map<string, { net: Money; gross: Money; fee: Money; refunds: Money }>();
    for (const b of account.balanceTransactions) {
      if (v(b.amount) - v(b.fee) !== v(b.net)) problems.push(`balance transaction ${b.id}: amount − fee ≠ net`);
      const key = b.associatedPayout.id ?? '';
      const t = byPayout.get(key) ?? { net: 0n, gross: 0n, fee: 0n, refunds: 0n };
      t.net += v(b.net);
      if (b.type === 'CHARGE') {
        t.gross += v(b.amount);
        t.fee += v(b.fee);
      } else if (b.type === 'REFUND') t.refunds += v(b.amount);
      byPayout.set(key, t);
    }
    for (const payout of account.payouts) {
      const t = byPayout.get(payout.id);
      if (!t) {
        problems.push(`payout ${payout.id} has no balance transactions`);
        continue;
      }
      const signed = payout.transactionType === 'DEPOSIT' ? v(payout.net) : -v(payout.net);
      if (signed !== t.net) problems.push(`payout ${payout.id}: net ${signed} ≠ Σ balance transactions ${t.net}`);
      if (v(payout.summary.chargesGross) !== t.gross || v(payout.summary.chargesFee) !== t.fee) {
        problems.push(`payout ${payout.id}: summary charges disagree`);
      }
      if (v(payout.summary.refundsFeeGross) !== t.refunds)
        problems.push(`payout ${payout.id}: summary refunds disagree`);
    }
  }
  const poNames = new Set(data.inventoryPurchaseOrders.map((p) => p.name));
  for (const transfer of data.inventoryTransfers) {
    if (!transfer.referenceName || !poNames.has(transfer.referenceName)) {
      problems.push(`transfer ${transfer.id} does not name a purchase order`);
    }
  }
  return problems;
}
