/**
 * Transform: Shopify source records + settings → accounting documents (pure, deterministic), and the registry of
 * document kinds the plan and the reconciliation use.
 */
export {
  type AccountMapping,
  type AccountProposal,
  type AccountType,
  CATEGORIES,
  CATEGORY_RULES,
  type Category,
  clearingCategoryFor,
  type DefaultMapping,
  describeType,
  type MappingProblem,
  normaliseGateway,
  proposeAccountMapping,
  type QuickBooksAccount,
  validateAccountMapping,
} from './accounts.ts';
export {
  additionalFeeAmounts,
  exchangeLineReturns,
  isTipLine,
  lineAmounts,
  numericId,
  orderLevelTip,
  refundedDuties,
  shippingAmounts,
  shopMoney,
  tipLineAmount,
} from './amounts.ts';
export { checkOrder, ENTERED_BY_HAND_CODES, HELD_BACK_ORDER_CODES, heldBackWhatToDo } from './checks/order-checks.ts';
export type * from './documents.ts';
export { isListRecord } from './documents.ts';
export { correctedKey, type EditContext, editAdjustments, replacedSalesOrderKey, reversalOf } from './edits.ts';
export type { TransformNote } from './fragments.ts';
export { documentTotal, type GlEffect, glEffect, imbalance, totalEffect } from './gl-effect.ts';
export { type HeldBackOrder, heldBackOrders } from './input.ts';
export type {
  DocumentKind,
  ListKind,
  NameRef,
  PlanContext,
  Planned,
  PlannedBody,
  PlannedMessage,
  TxnIdReference,
  TxnLineIdReference,
} from './kinds/kind.ts';
export { DOCUMENT_KINDS, documentKind, LIST_KINDS, listKind, removal } from './kinds/registry.ts';
export type { RemovalTarget, RemovedType } from './kinds/removal.ts';
export {
  checkListLimits,
  type DetailedVerdict,
  detailedVerdicts,
  editionOf,
  type ListCounts,
  type ListName,
  type ListProjection,
  PRO_PREMIER_LIMITS,
  projectLists,
} from './list-limits.ts';
export { assignNames, cleanName, ITEM_NAME_MAX, NAME_MAX, REF_NUMBER_MAX, refNumberFor, toLatin1 } from './names.ts';
export { type RefundAmounts, readRefund } from './refunds.ts';
export { isPostedOrder } from './sales.ts';
export {
  locationLabel,
  ONLINE_LOCATION,
  type TransformResult,
  type TransformSettings,
  type TransformSources,
  transform,
} from './transform.ts';
