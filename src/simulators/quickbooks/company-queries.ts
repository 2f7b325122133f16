/**
 * What QuickBooks answers about itself and the company: HostQuery (product, versions, list capacities),
 * CompanyQuery (with the DataExts of the owners asked for), PreferencesQuery; and the private data extensions an
 * application keeps on records (DataExtDefAdd, DataExtAdd/Mod).
 */
import type { ResponseInput } from '../../qbxml/index.ts';
import type { ExecutorState } from './executor.ts';
import { type QbObject, text } from './qb-object.ts';
import { attachDataExt, ITEM_TYPES, shapeRet } from './queries.ts';
import { QbStatus, statusText } from './status.ts';

function ok(rets: QbObject[], retNames?: string[]): Omit<ResponseInput, 'type' | 'requestID'> {
  return { statusCode: 0, statusSeverity: 'Info', statusMessage: statusText.ok, rets, retNames };
}

export function hostRet(state: ExecutorState, body: QbObject): QbObject {
  const ret = state.hostInfo();
  const meta = body.IncludeListMetaData as QbObject | undefined;
  if (meta) {
    const limits = state.books.limits;
    const capacity = (n: number) => ({ MaxCapacity: String(n) });
    ret.ListMetaData = {
      AccountMetaData: capacity(limits.accounts),
      BillingRateMetaData: capacity(10_000),
      ClassMetaData: capacity(state.books.settings.edition === 'enterprise' ? 100_000 : 10_000),
      CustomerMsgMetaData: capacity(10_000),
      CustomerTypeMetaData: capacity(10_000),
      EntityMetaData: capacity(limits.names),
      ItemMetaData: capacity(limits.items),
      JobTypeMetaData: capacity(10_000),
      PaymentMethodMetaData: capacity(10_000),
      PayrollItemMetaData: capacity(10_000),
      PriceLevelMetaData: capacity(state.books.settings.edition === 'enterprise' ? 750 : 100),
      SalesRepMetaData: capacity(10_000),
      SalesTaxCodeMetaData: capacity(10_000),
      ShipMethodMetaData: capacity(10_000),
      TemplateMetaData: capacity(10_000),
      TermsMetaData: capacity(10_000),
      ToDoMetaData: capacity(10_000),
      VehicleMetaData: capacity(10_000),
      VendorTypeMetaData: capacity(10_000),
    };
  }
  return shapeRet(ret, body, { isTxn: false, isAdd: true });
}

export function companyRet(state: ExecutorState, body: QbObject): QbObject {
  const settings = state.books.settings;
  const ret: QbObject = {
    IsSampleCompany: 'false',
    CompanyName: settings.companyName,
    LegalCompanyName: settings.companyName,
    FirstMonthFiscalYear: 'January',
    FirstMonthIncomeTaxYear: 'January',
    TaxForm: 'Form1120',
  };
  attachDataExt(state.books, ret, 'Company', body);
  return shapeRet(ret, body, { isTxn: false, isAdd: true });
}

export function preferencesRet(state: ExecutorState, body: QbObject): QbObject {
  const books = state.books;
  const settings = books.settings;
  const ret: QbObject = {
    AccountingPreferences: {
      IsUsingAccountNumbers: 'true',
      IsRequiringAccounts: 'true',
      IsUsingClassTracking: 'false',
      IsUsingAuditTrail: 'true',
      IsAssigningJournalEntryNumbers: 'true',
    },
    FinanceChargePreferences: {
      AnnualInterestRate: '0.00',
      MinFinanceCharge: '0.00',
      GracePeriod: '0',
      IsAssessingForOverdueCharges: 'false',
      CalculateChargesFrom: 'DueDate',
      IsMarkedToBePrinted: 'false',
    },
    JobsAndEstimatesPreferences: {
      IsUsingEstimates: 'true',
      IsUsingProgressInvoicing: 'false',
      IsPrintingItemsWithZeroAmounts: 'false',
    },
    MultiCurrencyPreferences: { IsMultiCurrencyOn: 'false' },
    MultiLocationInventoryPreferences: {
      IsMultiLocationInventoryAvailable: settings.edition === 'enterprise' ? 'true' : 'false',
      IsMultiLocationInventoryEnabled: 'false',
    },
    PurchasesAndVendorsPreferences: {
      IsUsingInventory: 'true',
      DaysBillsAreDue: '10',
      IsAutomaticallyUsingDiscounts: 'false',
    },
    ReportsPreferences: { AgingReportBasis: 'AgeFromDueDate', SummaryReportBasis: 'Accrual' },
    SalesAndCustomersPreferences: {
      IsTrackingReimbursedExpensesAsIncome: 'false',
      IsAutoApplyingPayments: 'true',
      PriceLevels: { IsUsingPriceLevels: 'false' },
    },
    TimeTrackingPreferences: { FirstDayOfWeek: 'Monday' },
    CurrentAppAccessRights: { IsAutomaticLoginAllowed: 'true', IsPersonalDataAccessAllowed: 'false' },
  };
  if (settings.salesTax.enabled) {
    const tax = settings.salesTax.defaultItemName
      ? books.file.listByName('item', settings.salesTax.defaultItemName)
      : null;
    const taxable = books.file.listByName('salesTaxCode', 'Tax');
    const nonTaxable = books.file.listByName('salesTaxCode', 'Non');
    ret.SalesTaxPreferences = {
      DefaultItemSalesTaxRef: tax ? books.refTo(tax) : undefined,
      PaySalesTax: 'Monthly',
      DefaultTaxableSalesTaxCodeRef: taxable ? books.refTo(taxable) : undefined,
      DefaultNonTaxableSalesTaxCodeRef: nonTaxable ? books.refTo(nonTaxable) : undefined,
      IsUsingVendorTaxCode: 'false',
      IsUsingCustomerTaxCode: 'true',
      IsUsingAmountsIncludeTax: 'false',
    };
  }
  return shapeRet(JSON.parse(JSON.stringify(ret)) as QbObject, body, { isTxn: false, isAdd: true });
}

export function dataExtDefAdd(state: ExecutorState, add: QbObject) {
  const { books } = state;
  const owner = text(add, 'OwnerID') ?? '0';
  const name = text(add, 'DataExtName') ?? '';
  if (books.file.dataExtDef(owner, name)) throw new QbStatus(3100, statusText.nameInUse(name));
  const count = books.file.dataExtDefs([owner]).length;
  const ret: QbObject = {
    OwnerID: owner,
    DataExtID: String(count + 1),
    DataExtName: name,
    DataExtType: text(add, 'DataExtType') ?? 'STR255TYPE',
    AssignToObject: add.AssignToObject,
    DataExtListRequire: text(add, 'DataExtListRequire') ?? 'false',
    DataExtTxnRequire: text(add, 'DataExtTxnRequire') ?? 'false',
    DataExtFormatString: text(add, 'DataExtFormatString') ?? '',
  };
  if (ret.AssignToObject === undefined) delete ret.AssignToObject;
  books.file.insertDataExtDef(owner, name, ret);
  return ok([ret]);
}

/** DataExtAdd/Mod. Private extensions (OwnerID other than 0) need no definition: QBWC's FileID is one. */
export function dataExtSet(state: ExecutorState, input: QbObject, isAdd: boolean) {
  const { books } = state;
  const owner = text(input, 'OwnerID') ?? '0';
  const name = text(input, 'DataExtName') ?? '';
  const value = text(input, 'DataExtValue') ?? '';
  const def = books.file.dataExtDef(owner, name);
  if (owner === '0' && !def) throw new QbStatus(3120, statusText.notFound(name));
  let objectId: string;
  if (text(input, 'OtherDataExtType') === 'Company') objectId = 'Company';
  else if (input.ListObjRef) {
    const ref = input.ListObjRef as QbObject;
    const listType = text(input, 'ListDataExtType') ?? '';
    const types = listType === 'Item' ? ITEM_TYPES : [listType];
    const row = books.findList(ref, types);
    if (!row)
      throw new QbStatus(
        3140,
        statusText.invalidReference(listType, text(ref, 'FullName') ?? text(ref, 'ListID') ?? '', 'DataExt'),
      );
    objectId = row.listId;
  } else {
    const txnId = text(input, 'TxnID') ?? '';
    if (!books.file.txnById(txnId)) throw new QbStatus(3120, statusText.notFound(txnId));
    objectId = txnId;
  }
  const existing = books.file.dataExtValue(owner, name, objectId);
  if (isAdd && existing !== null) throw new QbStatus(3100, statusText.nameInUse(name));
  if (!isAdd && existing === null) throw new QbStatus(3120, statusText.notFound(name));
  books.file.setDataExtValue(owner, name, objectId, value);
  return ok([
    {
      OwnerID: owner,
      DataExtName: name,
      DataExtType: text(def ?? undefined, 'DataExtType') ?? 'STR255TYPE',
      DataExtValue: value,
    },
  ]);
}
