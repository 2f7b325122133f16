/**
 * Which QuickBooks the simulator is: the product name, country and qbXML versions its request processor speaks
 * (HostRet, and qbXMLCountry/qbXMLMajorVers/qbXMLMinorVers the Web Connector passes to sendRequestXML). A request
 * document whose `<?qbxml version?>` is not one of them is refused as QuickBooks refuses it.
 *
 * The US profiles follow Intuit's SDK history (qbXML 5.0 = QuickBooks 2006, 12.0 = 2013, 13.0 = 2014, 16.0 = 2023
 * and later; a QuickBooks speaks every version up to its own). The wire capture of a real QuickBooks Pro 2006
 * (../shared/qbxml/wire/qbxml-responses/r02-…) lists 1.0 … 5.0 with MajorVersion 16. Editions outside the US
 * released before 2008 had their own SDK versions (CA2.0, CA3.0, UK2.0, UK3.0, OZ2.0, AU3.0); later ones use the US
 * numbering with the country set (docs/quickbooks-editions.md).
 */
import type { Edition } from './company-file.ts';

export interface QuickBooksProfile {
  /** HostRet ProductName; null = "QuickBooks <Edition> 2024", from the company file's edition. */
  productName: string | null;
  /** HostRet MajorVersion (the product's own version: 34 = 2024, 24 = 2014, 16 = 2006). */
  majorVersion: string;
  /** HostRet Country and the sendRequestXML qbXMLCountry. */
  country: 'US' | 'CA' | 'UK' | 'AU';
  /** HostRet SupportedQBXMLVersion, oldest first; the last is the request processor's own level. */
  qbxmlVersions: readonly string[];
}

function versions(upTo: number): string[] {
  const out = ['1.0', '1.1', '2.0', '2.1', '3.0', '4.0', '4.1'];
  for (let v = 5; v <= upTo; v++) out.push(`${v}.0`);
  return out;
}

export const QUICKBOOKS_PROFILES = {
  /** QuickBooks Desktop 2024 (US), the default. */
  us: { productName: null, majorVersion: '34', country: 'US', qbxmlVersions: versions(16) },
  /** QuickBooks Pro 2006 (US), as the real capture shows it. */
  'us-pro-2006': { productName: 'QuickBooks Pro 2006', majorVersion: '16', country: 'US', qbxmlVersions: versions(5) },
  /** QuickBooks Premier 2013 (US): one version short of what the connector writes. */
  'us-premier-2013': {
    productName: 'QuickBooks Premier Edition 2013',
    majorVersion: '23',
    country: 'US',
    qbxmlVersions: versions(12),
  },
  /** QuickBooks Premier 2024, Canadian edition. */
  ca: {
    productName: 'QuickBooks Premier Edition 2024',
    majorVersion: '34',
    country: 'CA',
    qbxmlVersions: versions(16),
  },
  /** QuickBooks Pro 2003, Canadian edition: the separate Canadian SDK. */
  'ca-2003': { productName: 'QuickBooks Pro 2003', majorVersion: '12', country: 'CA', qbxmlVersions: ['CA2.0'] },
  /** QuickBooks Pro 2015, UK edition (the last UK desktop release). */
  uk: { productName: 'QuickBooks Pro 2015', majorVersion: '25', country: 'UK', qbxmlVersions: versions(13) },
  /** QuickBooks Premier 2014, Australian edition. */
  au: { productName: 'QuickBooks Premier 2014', majorVersion: '24', country: 'AU', qbxmlVersions: versions(13) },
} as const satisfies Record<string, QuickBooksProfile>;

export type QuickBooksProfileName = keyof typeof QUICKBOOKS_PROFILES;

const PRODUCT: Record<Edition, string> = {
  pro: 'QuickBooks Pro 2024',
  premier: 'QuickBooks Premier 2024',
  enterprise: 'QuickBooks Enterprise Solutions 24.0',
};

export function productNameOf(profile: QuickBooksProfile, edition: Edition): string {
  return profile.productName ?? PRODUCT[edition];
}

/** The request processor's own level, as QBWC passes it to sendRequestXML (13.0 → 13 and 0; CA2.0 → 2 and 0). */
export function processorLevel(profile: QuickBooksProfile): { country: string; major: number; minor: number } {
  const highest = profile.qbxmlVersions[profile.qbxmlVersions.length - 1]!;
  const [major, minor] = highest
    .replace(/^[A-Z]+/, '')
    .split('.')
    .map(Number) as [number, number];
  return { country: profile.country, major, minor: minor ?? 0 };
}

/** What QuickBooks answers for a document in a version it does not speak (QBXMLRP2 ProcessRequest fails). */
export const UNSUPPORTED_VERSION = {
  hresult: '0x80040400',
  message: 'The version of QBXML that was requested is not supported or is unknown.',
} as const;
