/**
 * Which qbXML the QuickBooks at the other end of a Web Connector session speaks, decided on the first
 * sendRequestXML of the session, before any document is sent.
 *
 * QBWC passes the request processor's level (qbXMLCountry, qbXMLMajorVers, qbXMLMinorVers) and, in strHCPResponse,
 * QuickBooks' own HostQuery answer: ProductName, Country and every SupportedQBXMLVersion (../shared/qbxml/wire: a
 * real QuickBooks Pro 2006 lists 1.0 … 5.0 and QBWC passes 5 and 0). The connector writes qbXML 13.0 in the US
 * dialect (QuickBooks Desktop 2014 and later speak it, and every later release keeps speaking it), so:
 * - a QuickBooks whose highest version is older than 13.0 is refused, naming the edition, its version and what to
 *   do (update QuickBooks) — rather than sending it documents it would reject one by one as unreadable;
 * - a Canadian, UK or Australian edition is refused: their qbXML has the same element names but not the same
 *   accounting (sales tax by per-line tax codes, GST/HST/PST/QST and VAT returns fed by tax items, no header
 *   ItemSalesTaxRef, tax-inclusive amounts), and the connector's way of posting Shopify's tax — an explicit line to
 *   the tax liability account beside a 0 % sales tax item — would leave QuickBooks' tax returns without the tax.
 *   docs/quickbooks-editions.md has the research and the reasons.
 */
import { ConnectorError, err, ok, type Result } from '../../errors/index.ts';
import { parseResponseDocument } from '../../qbxml/index.ts';

/** The qbXML version every document the connector writes declares (src/qbxml XML_PROLOG). */
export const CONNECTOR_QBXML_VERSION = '13.0';

/** Countries whose QuickBooks the connector writes correctly. */
export const SUPPORTED_COUNTRIES: readonly string[] = ['US'];

export interface QuickBooksOffer {
  /** sendRequestXML qbXMLCountry: 'US', 'CA', 'UK', 'AU'. */
  country: string;
  /** sendRequestXML qbXMLMajorVers / qbXMLMinorVers: the request processor's highest qbXML version. */
  majorVersion: number;
  minorVersion: number;
  /** strHCPResponse (the first sendRequestXML of a session only). */
  hcpResponse: string;
}

export interface Dialect {
  /** The version the documents of this session are written in. */
  version: string;
  country: string;
  /** HostRet ProductName ("QuickBooks Premier 2024"), or "QuickBooks" when QuickBooks did not say. */
  productName: string;
  /** The highest qbXML version this QuickBooks speaks. */
  highest: string;
}

const COUNTRY_NAMES: Record<string, string> = { US: 'US', CA: 'Canadian', UK: 'UK', AU: 'Australian' };

interface Version {
  text: string;
  /** The country of a pre-2008 non-US SDK version ("CA3.0" → CA), else null. */
  prefix: string | null;
  major: number;
  minor: number;
}

function parseVersion(text: string): Version | null {
  const match = /^([A-Z]{2})?(\d+)\.(\d+)$/.exec(text.trim());
  if (!match) return null;
  const prefix = match[1] === 'OZ' ? 'AU' : (match[1] ?? null);
  return { text: text.trim(), prefix, major: Number(match[2]), minor: Number(match[3]) };
}

function atLeast(v: Pick<Version, 'major' | 'minor'>, major: number, minor: number): boolean {
  return v.major > major || (v.major === major && v.minor >= minor);
}

function host(hcpResponse: string): Record<string, unknown> | null {
  if (hcpResponse.trim() === '') return null;
  const parsed = parseResponseDocument(hcpResponse);
  if (!parsed.ok) return null;
  return parsed.value.responses.find((r) => r.type === 'HostQuery')?.rets[0] ?? null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/**
 * The dialect to write for this QuickBooks, or a refusal the merchant can act on. The HostQuery answer wins over
 * QBWC's parameters (it names the product); without it, the parameters decide.
 */
export function negotiateDialect(offer: QuickBooksOffer): Result<Dialect> {
  const hostRet = host(offer.hcpResponse);
  const listed = hostRet?.SupportedQBXMLVersion;
  const versions = (Array.isArray(listed) ? listed : listed === undefined ? [] : [listed])
    .map((v) => (typeof v === 'string' ? parseVersion(v) : null))
    .filter((v): v is Version => v !== null);
  const fromProcessor: Version = {
    text: `${offer.majorVersion}.${offer.minorVersion}`,
    prefix: null,
    major: offer.majorVersion,
    minor: offer.minorVersion,
  };
  const numbered = versions.filter((v) => v.prefix === null);
  const highest = (numbered.length > 0 ? numbered : versions.length > 0 ? versions : [fromProcessor]).reduce((a, b) =>
    atLeast(b, a.major, a.minor) ? b : a,
  );
  const prefixed = versions.find((v) => v.prefix !== null)?.prefix ?? null;
  const country = (text(hostRet?.Country) ?? prefixed ?? (text(offer.country) || 'US')).toUpperCase();
  const productName = text(hostRet?.ProductName) ?? 'QuickBooks';
  const edition = `${productName}${country === 'US' ? '' : ` (${COUNTRY_NAMES[country] ?? country} edition)`}`;

  if (!SUPPORTED_COUNTRIES.includes(country)) {
    const name = COUNTRY_NAMES[country] ?? `${country}`;
    return err(
      new ConnectorError({
        code: 'QBWC_QUICKBOOKS_COUNTRY_UNSUPPORTED',
        message: `QuickBooks ${productName} is a ${country} edition (qbXML up to ${highest.text}); the connector writes the US dialect only`,
        merchantMessage:
          `${edition} is the ${name} edition of QuickBooks; the connector writes to the US edition only. ` +
          `The ${name} edition works out sales tax from a tax code on every line and feeds its tax returns from those codes, ` +
          'so the tax the connector posts would be missing from them. Nothing was sent. Use the connector with a US ' +
          'edition of QuickBooks Desktop (Pro, Premier or Enterprise 2014 or later), or keep this company file out of the connector.',
        merchantMustAct: true,
        retryable: false,
        details: { productName, country, highest: highest.text },
      }),
    );
  }
  if (highest.prefix !== null || !atLeast(highest, 13, 0)) {
    return err(
      new ConnectorError({
        code: 'QBWC_QUICKBOOKS_TOO_OLD',
        message: `QuickBooks ${productName} speaks qbXML up to ${highest.text}; the connector needs ${CONNECTOR_QBXML_VERSION}`,
        merchantMessage:
          `${edition} speaks qbXML up to version ${highest.text}, and the connector needs version ${CONNECTOR_QBXML_VERSION}, ` +
          'which QuickBooks Desktop 2014 and every later release have. Nothing was sent. Update QuickBooks to a current ' +
          'release (Pro, Premier or Enterprise 2014 or later, with its latest update from Help > Update QuickBooks Desktop), ' +
          'then run the Web Connector again.',
        merchantMustAct: true,
        retryable: false,
        details: { productName, country, highest: highest.text },
      }),
    );
  }
  return ok({ version: CONNECTOR_QBXML_VERSION, country, productName, highest: highest.text });
}
