/** Transform: Shopify source records + settings → accounting documents (pure, deterministic). */
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
  exchangeLineReturns,
  isTipLine,
  lineAmounts,
  numericId,
  orderLevelTip,
  shippingAmounts,
  shopMoney,
  tipLineAmount,
} from './amounts.ts';
export type * from './documents.ts';
export { isListRecord } from './documents.ts';
export { type EditContext, editAdjustments, replacedSalesOrderKey, reversalOf } from './edits.ts';
export { documentTotal, type GlEffect, glEffect, imbalance, totalEffect } from './gl-effect.ts';
export {
  checkListLimits,
  type ListCounts,
  type ListProjection,
  PRO_PREMIER_LIMITS,
  projectLists,
} from './list-limits.ts';
export { assignNames, cleanName, ITEM_NAME_MAX, NAME_MAX, REF_NUMBER_MAX, refNumberFor, toLatin1 } from './names.ts';
export { isPostedOrder, type TransformNote } from './sales.ts';
export {
  locationLabel,
  ONLINE_LOCATION,
  type TransformResult,
  type TransformSettings,
  type TransformSources,
  transform,
} from './transform.ts';
