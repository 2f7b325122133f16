/**
 * Merchant text for the connector's stable error codes. The server speaks English; the app renders the merchant's
 * language from the code, and falls back to the server's own words only for codes in `englishOnly` (reviewed: they
 * reach developers or integrations, not the embedded app's merchant screens).
 */
import type { Locale } from './locale.ts';

export const swedish: Readonly<Record<string, string>> = {
  ACCOUNT_MAPPING_INVALID:
    'Ett konto i mappningen finns inte längre i QuickBooks eller är av fel typ. Välj ett annat konto under Inställningar.',
  ATTENTION_INPUT_INVALID: 'Ange vem som förde in den, och en eventuell anteckning, med högst 200 tecken.',
  ATTENTION_NOT_ENTERABLE_BY_HAND:
    'Den här punkten är inte en som du för in i QuickBooks själv. Gör det som punkten säger.',
  COMPANY_FILE_USER_NAME_TAKEN: 'Användarnamnet för Web Connector används redan i företagsfilen. Välj ett annat namn.',
  DEFAULT_TAX_ITEM_MISSING: 'Det valda momsobjektet finns inte i QuickBooks. Välj ett momsobjekt i inställningen.',
  DEFAULT_TAX_ITEM_NOT_ZERO: 'Standardmomsobjektet måste ha 0 % sats, annars räknar QuickBooks moms två gånger.',
  DOCUMENT_NO_LONGER_PRODUCED:
    'Dokumentet skapas inte längre från Shopify; det som redan bokförts i QuickBooks ligger kvar.',
  INTEGRATION_CHANGED:
    'Inställningarna för kopplingen ändrades samtidigt någon annanstans. Ladda om sidan och försök igen.',
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
    'Kopplingen kunde inte avgöra vilken företagsfil som är öppen i QuickBooks, så inget skickades. Öppna företagsfilen som butiken är kopplad till och kör sedan Web Connector igen.',
  QBWC_CONNECTION_ERROR: 'Web Connector kunde inte nå QuickBooks. Kontrollera att QuickBooks är öppet på datorn.',
  QBWC_LOCKED_OUT:
    'För många misslyckade inloggningar från Web Connector. Vänta en stund och försök igen med rätt lösenord.',
  QBWC_NOT_CONNECTING: 'Web Connector har inte hört av sig på länge. Kontrollera att den körs och att datorn är på.',
  QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED:
    'Den här QuickBooks-versionen (land) stöds inte. Kopplingen kräver amerikanska QuickBooks Desktop.',
  QBWC_QUICKBOOKS_TOO_OLD: 'QuickBooks-versionen är för gammal. Uppdatera QuickBooks Desktop och synka igen.',
  QBWC_WRONG_COMPANY_FILE:
    'Web Connector öppnade en annan företagsfil än den som kopplades. Öppna rätt fil i QuickBooks.',
  QBXML_INVALID_VALUE: 'Ett värde godtogs inte av QuickBooks. Rätta posten i Shopify och synka igen.',
  QBXML_VALUE_TOO_LONG: 'Ett namn eller en text är för lång för QuickBooks. Korta den i Shopify och synka igen.',
  QB_EDIT_SEQUENCE_OUT_OF_DATE: 'Posten ändrades i QuickBooks samtidigt. Kontrollera den i QuickBooks och synka igen.',
  QB_LIST_LIMIT_DETAILED_REFUSED:
    'Detaljerat läge ryms inte i företagsfilen: QuickBooks Pro och Premier rymmer högst 14 500 namn (10 500 i en och samma lista) och 14 500 artiklar. Välj Sammanfattning för de listor som anges nedan, eller flytta företagsfilen till QuickBooks Enterprise.',
  QB_ORDER_LINES_MISSING:
    'QuickBooks skickade inte raderna i ordern som andra dokument kopplas till, så de kunde inte skickas. Kontakta support med detta meddelande.',
  QB_RECORD_GONE: 'Posten har tagits bort i QuickBooks, så ändringen kunde inte göras.',
  QB_REJECTED: 'QuickBooks avvisade posten. Se detaljerna och rätta posten.',
  QB_REQUEST_REFUSED:
    'QuickBooks kunde inte läsa det kopplingen skickade. Inget registrerades; dokumenten det gäller visas i kopplingen för supporten.',
  QB_RESEND: 'Posten skickas igen vid nästa synk.',
  QB_STATUS_3100: 'Namnet används redan av en annan post i QuickBooks. Byt namn på den ena posten och synka igen.',
  RECEIVED_ITEM_NOT_ON_PO: 'En mottagen artikel finns inte på inköpsordern. Kontrollera inleveransen.',
  RECONCILIATION_NOT_READY:
    'Avstämningen jämför Shopify med de QuickBooks-konton du har mappat: slutför installationen (anslut företagsfilen och spara kontomappningen) först.',
  RECONCILIATION_PERIOD_INVALID: 'Perioden för avstämningen är ogiltig. Välj ett start- och slutdatum.',
  RECONCILIATION_QUICKBOOKS_REFUSED: 'QuickBooks vägrade ta fram rapporten för avstämningen. Försök igen senare.',
  RECONCILIATION_REPORT_UNREADABLE: 'Rapporten från QuickBooks kunde inte läsas. Försök igen vid nästa synk.',
  REFUND_AMOUNTS_MISFIT:
    'Återbetalningens belopp stämmer inte med dess rader, så den bokfördes inte. Kontrollera den i Shopify, för in den för hand i QuickBooks och markera den sedan som införd: kopplingen bokför den aldrig, och avstämningen räknar med den i QuickBooks.',
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
  SYNC_NO_SHOP_RECORD: 'Butiken saknas i kopplingen. Installera appen från Shopify igen.',
  THROTTLED: 'För många förfrågningar just nu. Försök igen om en stund.',
  UNIT_COST_MISSING: 'Artikeln saknar inköpspris i Shopify. Ange kostnad per artikel i Shopify och synka igen.',
  QB_OK: 'Posten finns i QuickBooks.',
  QB_INFO: 'QuickBooks lämnade ett meddelande om posten; inget behöver göras.',
  QB_NO_MATCH: 'QuickBooks har ingen sådan post än.',
  QB_PARTIAL_RESULT: 'QuickBooks hittade bara några av posterna som kopplingen frågade efter.',
  QB_FIELD_UNSUPPORTED: 'Din QuickBooks-version hoppade över ett fält i posten; resten sparades.',
  QB_VALUE_UNSUPPORTED: 'Din QuickBooks-version stöder inte ett av värdena i posten; resten sparades.',
  QB_FIELD_DEPRECATED: 'Posten sparades; QuickBooks påpekade att ett av dess fält är föråldrat.',
  QB_WARNING: 'QuickBooks sparade posten med en varning.',
  QB_INTERNAL_ERROR:
    'QuickBooks fick ett internt fel när posten skulle sparas. Kopplingen försöker igen vid nästa synk.',
  QB_INVALID_REQUEST_ID:
    'Kopplingen skickade en begäran som QuickBooks inte kunde para ihop. Felet ligger i kopplingen; supporten har det som behövs för att rätta det.',
  QB_INVALID_ID: 'QuickBooks kände inte igen ett id som kopplingen skickade. Kopplingen slår upp posten igen.',
  QB_INVALID_BOOLEAN: 'QuickBooks godtog inte ett ja/nej-värde i posten.',
  QB_INVALID_DATE:
    'QuickBooks godtog inte postens datum. Om datumet ligger före bokslutsdatumet i QuickBooks, ändra bokslutsdatumet eller postens datum.',
  QB_INVALID_DATE_RANGE: 'QuickBooks godtog inte en datumperiod som kopplingen frågade efter.',
  QB_INVALID_AMOUNT: 'QuickBooks godtog inte ett belopp i posten. Kontrollera beloppet i Shopify.',
  QB_INVALID_QUANTITY: 'QuickBooks godtog inte ett antal i posten. Kontrollera det i Shopify.',
  QB_STRING_TOO_LONG: 'En text i posten är längre än QuickBooks tillåter. Korta den i Shopify och synka igen.',
  QB_INVALID_STRING:
    'En text i posten innehåller ett tecken som QuickBooks inte tillåter där (ett kolon ":" i ett namn skiljer en överordnad post från en underpost). Ändra den i Shopify och synka igen.',
  QB_NAME_IN_USE:
    'QuickBooks har redan en kund, leverantör, anställd eller annat namn som heter likadant. Namnen måste vara unika i alla de listorna: byt namn på en av dem (i QuickBooks eller Shopify) och synka igen.',
  QB_OBJECT_NOT_FOUND:
    'En post som kopplingen bokförde tidigare finns inte längre i QuickBooks (den kan ha tagits bort där). Kopplingen skapar den igen om den behövs.',
  QB_INVALID_REFERENCE:
    'Posten hänvisar till något som QuickBooks inte har eller har gjort inaktivt (ett konto, en artikel, en kund eller ett momsobjekt). Gör det aktivt i QuickBooks eller kontrollera kontomappningen, och synka sedan igen.',
  QB_REQUIRED_ELEMENT_MISSING: 'QuickBooks behöver ett fält som kopplingen inte skickade för posten.',
  QB_MODIFY_FAILED:
    'QuickBooks kunde inte ändra posten just nu, oftast för att någon annan ändrar den. Kopplingen försöker igen.',
  QB_RECORD_IN_USE: 'Posten är öppen i QuickBooks på någons skärm. Stäng den där; kopplingen försöker igen.',
  QB_RECORD_LOCKED:
    'QuickBooks kunde inte låsa posten för att ändra den, oftast för att den är öppen någon annanstans. Kopplingen försöker igen.',
  QB_SAVE_FAILED:
    'QuickBooks kunde inte spara posten just nu, oftast för att en annan användare ändrade listan. Kopplingen försöker igen.',
  QB_INVALID_FIELD_VALUE: 'QuickBooks godtog inte posten på grund av ett av dess värden. Rätta värdet och synka igen.',
  QB_NOT_AUTHORIZED:
    'QuickBooks tillät inte kopplingen att göra detta. Tillåt kopplingen under Edit > Preferences > Integrated Applications i QuickBooks och synka igen.',
  QB_REQUEST_NOT_PROCESSED:
    'QuickBooks hoppade över posten eftersom en tidigare post i samma omgång misslyckades. Den skickas igen.',
  QB_FEATURE_NOT_ENABLED:
    'Posten behöver en funktion i QuickBooks som är avstängd eller saknas i din utgåva (till exempel lager, kundorder, klasser eller enheter). Slå på den under Edit > Preferences i QuickBooks, eller ändra kopplingens inställningar.',
  QB_INSUFFICIENT_PERMISSION:
    'QuickBooks-användaren som Web Connector loggar in som får inte göra detta. Ge användaren fler rättigheter i QuickBooks (Company > Users), eller kör Web Connector som administratör.',
  QB_NO_PERSONAL_DATA_ACCESS:
    'QuickBooks lät inte kopplingen se personuppgifter. Tillåt det under Edit > Preferences > Integrated Applications i QuickBooks.',
  QB_PAYROLL_SUBSCRIPTION_NEEDED: 'Detta kräver ett lönetjänstabonnemang i QuickBooks, som företagsfilen inte har.',
  QB_READ_ONLY_ACCESS:
    'QuickBooks gav kopplingen enbart läsbehörighet. Tillåt den att ändra data under Edit > Preferences > Integrated Applications i QuickBooks.',
  QB_MERCHANT_SERVICES_NEEDED: 'Detta kräver QuickBooks merchant services, som företagsfilen inte har.',
  QB_MISSING_POSTING_ACCOUNT:
    'QuickBooks behöver ett konto att bokföra posten på. Kontrollera kontomappningen (varje Shopify-kategori behöver ett QuickBooks-konto) och synka igen.',
  QB_ERROR: 'QuickBooks avvisade posten. Kopplingen håller den åt sidan; supporten kan se detaljerna.',
  QB_PROCESSOR_ERROR:
    'Web Connector rapporterade ett problem i kontakten med QuickBooks. Kopplingen försöker igen vid nästa synk.',
  QB_XML_PARSE_ERROR:
    'QuickBooks kunde inte läsa en begäran från kopplingen. Felet ligger i kopplingen, inte hos dig; inget bokfördes från den begäran och supporten har detaljerna.',
  QB_NOT_ACCESSIBLE:
    'Web Connector nådde inte QuickBooks. Se till att QuickBooks är igång med företagsfilen öppen (eller får starta den), och kör sedan Web Connector igen.',
  QB_UNEXPECTED_ERROR: 'QuickBooks fick ett oväntat problem. Kopplingen försöker igen vid nästa synk.',
  QB_COMPANY_FILE_NOT_OPENED:
    'QuickBooks kunde inte öppna företagsfilen. Öppna den själv i QuickBooks (den kan behöva repareras, uppdateras eller ett lösenord), och kör sedan Web Connector igen.',
  QB_COMPANY_FILE_NOT_FOUND:
    'QuickBooks hittade inte företagsfilen. Om den har flyttats eller bytt namn, öppna den i QuickBooks och kör Web Connector igen därifrån.',
  QB_COULD_NOT_START:
    'Web Connector kunde inte starta QuickBooks. Öppna QuickBooks med företagsfilen själv och kör sedan Web Connector igen.',
  QB_OTHER_COMPANY_FILE_OPEN:
    'QuickBooks har en annan företagsfil öppen. Stäng den och öppna företagsfilen som är kopplad till butiken, och kör sedan Web Connector igen.',
  QB_COMPANY_FILE_IN_USE:
    'Företagsfilen används på ett sätt som stänger ute kopplingen (till exempel enanvändarläge på en annan dator). Byt till fleranvändarläge eller stäng den där, och kör sedan Web Connector igen.',
  QB_COMPANY_FILE_NOT_OPEN:
    'QuickBooks är inte igång med företagsfilen som är kopplad till butiken. Öppna den i QuickBooks och kör sedan Web Connector igen; under Integrated Applications kan du låta den köras utan dig.',
  QB_NO_COMPANY_FILE_OPEN:
    'QuickBooks är igång men ingen företagsfil är öppen. Öppna företagsfilen som är kopplad till butiken och kör sedan Web Connector igen.',
  QB_FIRST_ACCESS_NEEDS_ADMIN:
    'QuickBooks har inte släppt in kopplingen i företagsfilen än, och första gången kan bara administratören göra det. Logga in i QuickBooks som administratör i enanvändarläge, kör Web Connector och svara "Yes" när QuickBooks frågar om kopplingen får komma åt filen.',
  QB_ACCESS_DENIED:
    'QuickBooks har inte släppt in kopplingen i företagsfilen. Tillåt den under Edit > Preferences > Integrated Applications och kryssa i "Allow this application to read and modify this company file". Kör sedan Web Connector igen.',
  QB_AUTO_LOGIN_NOT_ALLOWED:
    'QuickBooks låter inte kopplingen logga in själv, så den kan inte köras när du inte sitter vid QuickBooks. Kryssa i "Allow this application to login automatically" under Edit > Preferences > Integrated Applications och välj användaren; kör sedan Web Connector igen.',
  QB_PRODUCT_HAS_NO_INTEGRATION:
    'Den här utgåvan av QuickBooks låter inte andra program ansluta. Kopplingen kräver QuickBooks Desktop Pro, Premier eller Enterprise.',
  QB_ACCESS_REFUSED_BY_USER:
    'QuickBooks-användaren svarade "No" på frågan om kopplingen fick komma in, så inget skickades. Tillåt den under Edit > Preferences > Integrated Applications och kör sedan Web Connector igen.',
  QB_ANOTHER_APPLICATION_CONNECTED:
    'Ett annat program var anslutet till företagsfilen. Kopplingen försöker igen vid nästa körning av Web Connector; om det händer ofta, stäng det andra programmet medan Web Connector körs.',
  QB_STILL_STARTING:
    'QuickBooks höll fortfarande på att starta. Kopplingen försöker igen vid nästa körning av Web Connector.',
  ORDER_AMOUNT_FOREIGN_CURRENCY:
    'Ett belopp i ordern är inte i butikens valuta. Rätta ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_AMOUNT_NOT_A_NUMBER:
    'Ett belopp i ordern är inte ett tal. Rätta ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_AMOUNT_TOO_PRECISE:
    'Ett belopp i ordern har fler än två decimaler. Rätta ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_QUANTITY_INVALID:
    'Ett antal i ordern är negativt eller inte ett heltal. Rätta ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_TOTAL_MISMATCH:
    'Orderns summa är inte summan av dess delar. Rätta ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_RECEIVED_MISMATCH:
    'Det mottagna beloppet minus växel är inte det ordern säger att den tog emot. Rätta ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_UNEXPLAINED_DIFFERENCE:
    'Pengarna som rörde sig skiljer sig från orderns rader med mer än öresavrundning eller en återbetalningsdifferens. Kontrollera ordern i Shopify; nästa synk bokför den. Inget har bokförts för den.',
  ORDER_CATEGORY_UNMAPPED:
    'Ordern behöver en kategori som kontomappningen inte har något konto för. Mappa kategorin som meddelandet nämner till ett konto i QuickBooks (kontomappningen i appen, eller `qbd-connector setup options --map`); nästa synk bokför ordern. Inget har bokförts för den.',
  SETUP_LIST_COUNTS_NOT_READ:
    'Kopplingen kan inte räkna listorna än: den har inte läst QuickBooks listor eller Shopifys uppgifter. Kör Web Connector en gång till och öppna sedan inställningarna igen.',
  INTERNAL_ERROR:
    'Något gick fel i kopplingen. Inget bokfördes två gånger; posten visas här tills den är löst. Kontakta supporten med felkoden om det fortsätter.',
};

/** Reviewed: transport, storage and developer-facing codes that never reach a merchant screen in the app. */
export const englishOnly: ReadonlySet<string> = new Set([
  'API_BAD_JSON',
  'API_BAD_MODES',
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
