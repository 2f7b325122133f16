/**
 * Merchant text for the connector's stable error codes. The server speaks English; the app renders the merchant's
 * language from the code, and falls back to the server's own words only for codes in `englishOnly` (reviewed: they
 * reach developers or integrations, not the embedded app's merchant screens).
 */
import type { Locale } from './locale.ts';

export const swedish: Readonly<Record<string, string>> = {
  ACCOUNT_MAPPING_INVALID:
    'Ett konto i mappningen finns inte längre i QuickBooks eller är av fel typ. Välj ett annat konto under Inställningar.',
  COMPANY_FILE_USER_NAME_TAKEN: 'Användarnamnet för Web Connector används redan i företagsfilen. Välj ett annat namn.',
  DEFAULT_TAX_ITEM_MISSING: 'Det valda momsobjektet finns inte i QuickBooks. Välj ett momsobjekt i inställningen.',
  DEFAULT_TAX_ITEM_NOT_ZERO: 'Standardmomsobjektet måste ha 0 % sats, annars räknar QuickBooks moms två gånger.',
  DOCUMENT_NO_LONGER_PRODUCED:
    'Dokumentet skapas inte längre från Shopify; det som redan bokförts i QuickBooks ligger kvar.',
  INTEGRATION_CHANGED:
    'Kopplingen i QuickBooks har ändrats sedan senaste synken. Öppna Web Connector och godkänn appen igen.',
  LIMIT_REACHED:
    'QuickBooks har nått en gräns för antal poster. Rensa eller slå ihop poster i QuickBooks och synka igen.',
  NEGATIVE_PAYMENT: 'En betalning med negativt belopp kan inte bokföras i QuickBooks. Kontrollera ordern i Shopify.',
  NOT_FOUND: 'Det efterfrågade hittades inte.',
  POSTED_DOCUMENT_CHANGED: 'Dokumentet har ändrats i Shopify efter att det bokförts. Kontrollera det i QuickBooks.',
  QBWC_COMPANY_FILE_OF_ANOTHER_SHOP:
    'Företagsfilen som är öppen i QuickBooks är redan kopplad till en annan butik. Öppna butikens egen företagsfil och kör Web Connector igen.',
  QBWC_COMPANY_FILE_REFUSED:
    'QuickBooks vägrade öppna företagsfilen. Öppna filen i QuickBooks som administratör och synka igen.',
  QBWC_COMPANY_UNKNOWN:
    'Web Connector anger en företagsfil som connectorn inte känner till. Ladda ned .qwc-filen på nytt.',
  QBWC_CONNECTION_ERROR: 'Web Connector kunde inte nå QuickBooks. Kontrollera att QuickBooks är öppet på datorn.',
  QBWC_LOCKED_OUT:
    'För många misslyckade inloggningar från Web Connector. Vänta en stund och försök igen med rätt lösenord.',
  QBWC_NOT_CONNECTING: 'Web Connector har inte hört av sig på länge. Kontrollera att den körs och att datorn är på.',
  QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED:
    'Den här QuickBooks-versionen (land) stöds inte. Connectorn kräver amerikanska QuickBooks Desktop.',
  QBWC_QUICKBOOKS_TOO_OLD: 'QuickBooks-versionen är för gammal. Uppdatera QuickBooks Desktop och synka igen.',
  QBWC_WRONG_COMPANY_FILE:
    'Web Connector öppnade en annan företagsfil än den som kopplades. Öppna rätt fil i QuickBooks.',
  QBXML_INVALID_VALUE: 'Ett värde godtogs inte av QuickBooks. Rätta posten i Shopify och synka igen.',
  QBXML_VALUE_TOO_LONG: 'Ett namn eller en text är för lång för QuickBooks. Korta den i Shopify och synka igen.',
  QB_EDIT_SEQUENCE_OUT_OF_DATE: 'Posten ändrades i QuickBooks samtidigt. Kontrollera den i QuickBooks och synka igen.',
  QB_LIST_LIMIT_DETAILED_REFUSED:
    'QuickBooks vägrade att visa hela listan. Kontrollera behörigheterna för appen i QuickBooks.',
  QB_RECORD_GONE: 'Posten har tagits bort i QuickBooks. Connectorn skapar den igen vid nästa synk om den behövs.',
  QB_REJECTED: 'QuickBooks avvisade posten. Se detaljerna och rätta posten.',
  QB_REQUEST_REFUSED: 'QuickBooks avvisade begäran. Se detaljerna och försök igen.',
  QB_RESEND: 'Posten skickas igen vid nästa synk.',
  QB_STATUS_3100: 'Namnet används redan av en annan post i QuickBooks. Byt namn på den ena posten och synka igen.',
  RECEIVED_ITEM_NOT_ON_PO: 'En mottagen artikel finns inte på inköpsordern. Kontrollera inleveransen.',
  RECONCILIATION_NOT_READY: 'Avstämningen är inte klar än. Vänta tills nästa synk är klar.',
  RECONCILIATION_PERIOD_INVALID: 'Perioden för avstämningen är ogiltig. Välj ett start- och slutdatum.',
  RECONCILIATION_QUICKBOOKS_REFUSED: 'QuickBooks vägrade ta fram rapporten för avstämningen. Försök igen senare.',
  RECONCILIATION_REPORT_UNREADABLE: 'Rapporten från QuickBooks kunde inte läsas. Försök igen vid nästa synk.',
  REFUND_AMOUNTS_MISFIT:
    'Återbetalningens belopp stämmer inte med dess rader, så den bokfördes inte. Kontrollera den i Shopify och för in den för hand i QuickBooks.',
  SALES_TAX_OFF: 'Moms är avstängd i QuickBooks. Slå på moms under Redigera → Inställningar → Moms.',
  SCHEDULE_INVALID: 'Schemat är ogiltigt. Välj hur ofta synken ska köras.',
  SETTINGS_INVALID: 'Inställningarna kunde inte sparas. Kontrollera de markerade fälten.',
  SETUP_OPTIONS_INVALID: 'Valen i installationen är ogiltiga. Kontrollera de markerade fälten.',
  SETUP_SHOP_UNKNOWN: 'Butiken är inte installerad. Installera appen från Shopify igen.',
  SETUP_START_DATE_NOT_CHOSEN: 'Välj från vilket datum ordrar ska bokföras innan du fortsätter.',
  SETUP_STEP_OUT_OF_ORDER: 'Det här steget kan inte göras än. Slutför stegen ovanför först.',
  SHOPIFY_ACCESS_DENIED: 'Appen saknar behörighet i Shopify. Godkänn appens behörigheter igen.',
  SHOPIFY_BULK_DOWNLOAD_FAILED: 'Hämtningen från Shopify misslyckades. Den görs om vid nästa synk.',
  SHOPIFY_BULK_OPERATION_FAILED: 'Hämtningen från Shopify misslyckades. Den görs om vid nästa synk.',
  SHOPIFY_BULK_OPERATION_MISSING: 'Hämtningen från Shopify gick förlorad. Den görs om vid nästa synk.',
  SHOPIFY_BULK_OPERATION_REFUSED: 'Shopify tillät inte hämtningen just nu. Den görs om vid nästa synk.',
  SHOPIFY_NOT_CONNECTED: 'Butiken är inte ansluten. Öppna appen från Shopify-administratören.',
  SHOPIFY_SESSION_TOKEN_INVALID: 'Sessionen har gått ut. Ladda om sidan i Shopify-administratören.',
  SHOPIFY_UNAUTHORIZED: 'Shopify godtog inte appens åtkomst. Installera appen igen.',
  SHOPIFY_UNAVAILABLE: 'Shopify svarar inte just nu. Synken försöker igen automatiskt.',
  STOCKY_BUSY: 'Stocky är upptaget. Synken försöker igen automatiskt.',
  STOCKY_KEY_REFUSED: 'Stocky godtog inte API-nyckeln. Ange en ny nyckel under Inställningar.',
  STOCKY_REQUEST_FAILED: 'Stocky svarade inte som väntat. Synken försöker igen automatiskt.',
  STOCKY_SHUT_DOWN: 'Stocky har stängts ned; inköpsordrar hämtas inte längre därifrån.',
  SYNC_INTERRUPTED: 'Synken avbröts. Den fortsätter där den slutade vid nästa körning.',
  SYNC_NOT_CONFIGURED: 'Installationen är inte klar. Slutför stegen under Installation.',
  SYNC_NOT_STARTED: 'Synken har inte startats än.',
  SYNC_NO_SHOP_RECORD: 'Butiken saknas i connectorn. Installera appen från Shopify igen.',
  THROTTLED: 'För många förfrågningar just nu. Försök igen om en stund.',
  UNIT_COST_MISSING: 'Artikeln saknar inköpspris i Shopify. Ange kostnad per artikel i Shopify och synka igen.',
  INTERNAL_ERROR:
    'Något gick fel i connectorn. Inget bokfördes två gånger; posten visas här tills den är löst. Kontakta supporten med felkoden om det fortsätter.',
};

/** Reviewed: transport, storage and developer-facing codes that never reach a merchant screen in the app. */
export const englishOnly: ReadonlySet<string> = new Set([
  'API_BAD_JSON',
  'API_UNAUTHORISED',
  'BAD_REQUEST',
  'DEMO_CONFIG',
  'DOCUMENTS_QUERY_INVALID',
  'HTTP_BAD_URL',
  'HTTP_BODY_TOO_LARGE',
  'HTTP_METHOD_NOT_ALLOWED',
  'INVALID',
  'MAX_COST_EXCEEDED',
  'NOT_MODELLED',
  'OUTBOX_ENTRY_STATE_CONFLICT',
  'OUTBOX_LEASE_LOST',
  'PARSE_ERROR',
  'PLAN_REFERENCE_NOT_APPLIED',
  'QBXML_INVALID_REQUEST',
  'QBXML_MALFORMED_RESPONSE',
  'SECRET_UNREADABLE',
  'SHOPIFY_BAD_SHOP_DOMAIN',
  'SHOPIFY_GRAPHQL_ERROR',
  'SHOPIFY_TOKEN_OTHER_SHOP',
  'SHOP_ALREADY_EXISTS',
  'STANDARD',
  'STORAGE_OPEN_FAILED',
  'STORAGE_SCHEMA_NEWER_THAN_CODE',
  'STORAGE_URL_UNSUPPORTED',
  'SYNC_RUN_UNKNOWN',
]);

/** The merchant's text for a server message: the catalogue's entry in Swedish, else the server's English. */
export function serverText(locale: Locale, code: string | null | undefined, english: string): string {
  if (locale === 'sv' && code && swedish[code] !== undefined) return swedish[code];
  return english;
}
