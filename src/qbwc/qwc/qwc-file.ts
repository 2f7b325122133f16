/**
 * The .qwc file the merchant adds to the QuickBooks Web Connector. Facts (../shared/research/qbwc-qbxml.md §2,
 * from Intuit's Web Connector Programmer's Guide ch.4):
 * - root <QBWCXML>; element order does not matter;
 * - AppURL must be https:// — QBWC refuses plain HTTP except for localhost; AppSupport must be on the same host;
 * - OwnerID identifies the application, FileID the company file (QBWC stores it as a private DataExt owned by
 *   OwnerID on first connect); both are GUIDs written in braces;
 * - there is no password element: the merchant types it into QBWC.
 */
import { ConnectorError, err, ok, type Result } from '../../errors/index.ts';
import { escapeXml, parseXml } from '../../xml/index.ts';

export interface QwcFileOptions {
  /** Shown in QBWC and in QuickBooks' "allow access" dialog; keyed on by QBWC to tell applications apart. */
  appName: string;
  appId?: string;
  appUrl: string;
  appDescription: string;
  appSupport: string;
  userName: string;
  /** One GUID per application (with or without braces). */
  ownerId: string;
  /** One GUID per company file. */
  fileId: string;
  qbType?: 'QBFS';
  /** Default 15. */
  runEveryNMinutes?: number;
  /** Default false: the connector writes to QuickBooks. */
  isReadOnly?: boolean;
  /** When present, QBWC replaces an installed entry of the same unique name instead of asking. */
  appUniqueName?: string;
  appDisplayName?: string;
  /** Editions allowed: "0x0" all (default), bits 0x1 Simple Start, 0x2 Pro, 0x4 Premier, 0x8 Enterprise. */
  authFlags?: string;
  unattendedModePref?: 'umpRequired' | 'umpOptional';
  personalDataPref?: 'pdpNotNeeded' | 'pdpOptional' | 'pdpRequired';
}

/** A parsed .qwc file. Absent optional elements are null. */
export interface QwcFile {
  appName: string;
  appId: string;
  appUrl: string;
  appDescription: string;
  appSupport: string;
  userName: string;
  ownerId: string;
  fileId: string;
  qbType: string;
  runEveryNMinutes: number | null;
  runEveryNSeconds: number | null;
  isReadOnly: boolean;
  appUniqueName: string | null;
  appDisplayName: string | null;
  authFlags: string | null;
  unattendedModePref: string | null;
  personalDataPref: string | null;
}

const GUID = /^\{?([0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\}?$/;

/** QBWC shows AppDescription in a line of its own and in QuickBooks' access dialog (Programmer's Guide ch.4). */
export const MAX_APP_DESCRIPTION = 80;

function qwcError(code: string, message: string, merchantMessage: string): ConnectorError {
  return new ConnectorError({ code, message, merchantMessage, merchantMustAct: true, retryable: false });
}

/** Braces around a GUID, as QBWC and QuickBooks write them; null when it is not a GUID. */
export function normaliseGuid(value: string): string | null {
  const match = GUID.exec(value.trim());
  return match ? `{${match[1]!.toUpperCase()}}` : null;
}

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]';
}

/**
 * QBWC's own rule for an AppURL: https, or http only on the local machine. Returns the parsed URL or the
 * reason it would be refused.
 */
export function checkAppUrl(appUrl: string): Result<URL> {
  let url: URL;
  try {
    url = new URL(appUrl);
  } catch {
    return err(
      qwcError(
        'QWC_INVALID_URL',
        `AppURL "${appUrl}" is not a URL`,
        'The connector address is not a valid web address. Check the public URL in the connector settings.',
      ),
    );
  }
  if (url.protocol === 'https:') return ok(url);
  if (url.protocol === 'http:' && isLocalHost(url.hostname)) return ok(url);
  return err(
    qwcError(
      'QWC_INSECURE_APP_URL',
      `AppURL ${appUrl} is not https and not localhost; the Web Connector refuses it`,
      'The QuickBooks Web Connector only connects over HTTPS (plain HTTP works only on this computer). Set an https:// public address for the connector and create the .qwc file again.',
    ),
  );
}

/** Writes a .qwc file; every value is XML-escaped. */
export function buildQwcFile(options: QwcFileOptions): Result<string> {
  for (const key of ['appName', 'appUrl', 'appDescription', 'appSupport', 'userName'] as const) {
    if (options[key].trim() === '') {
      return err(
        qwcError(
          'QWC_MISSING_FIELD',
          `${key} is empty`,
          'The Web Connector file could not be created: a required setting is empty.',
        ),
      );
    }
  }
  if (options.appDescription.length > MAX_APP_DESCRIPTION) {
    return err(
      qwcError(
        'QWC_DESCRIPTION_TOO_LONG',
        `AppDescription is ${options.appDescription.length} characters; the Web Connector shows at most ${MAX_APP_DESCRIPTION}`,
        `The description of the Web Connector file is longer than ${MAX_APP_DESCRIPTION} characters; shorten it.`,
      ),
    );
  }
  if (options.authFlags !== undefined && !/^0x[0-9A-Fa-f]{1,2}$/.test(options.authFlags)) {
    return err(
      qwcError(
        'QWC_INVALID_AUTH_FLAGS',
        `AuthFlags "${options.authFlags}" is not a hexadecimal edition mask like 0xE`,
        'The Web Connector file could not be created: its list of QuickBooks editions is damaged. Contact support.',
      ),
    );
  }
  const appUrl = checkAppUrl(options.appUrl);
  if (!appUrl.ok) return appUrl;
  const support = checkAppUrl(options.appSupport);
  if (!support.ok) return support;
  if (support.value.hostname !== appUrl.value.hostname) {
    return err(
      qwcError(
        'QWC_SUPPORT_HOST_MISMATCH',
        `AppSupport host ${support.value.hostname} differs from AppURL host ${appUrl.value.hostname}`,
        'The Web Connector requires the support page to be on the same web address as the connector.',
      ),
    );
  }
  const ownerId = normaliseGuid(options.ownerId);
  const fileId = normaliseGuid(options.fileId);
  if (!ownerId || !fileId) {
    return err(
      qwcError(
        'QWC_INVALID_GUID',
        `OwnerID "${options.ownerId}" or FileID "${options.fileId}" is not a GUID`,
        'The Web Connector file could not be created: an internal identifier is damaged. Contact support.',
      ),
    );
  }
  const minutes = options.runEveryNMinutes ?? 15;
  if (!Number.isInteger(minutes) || minutes < 1) {
    return err(
      qwcError(
        'QWC_INVALID_INTERVAL',
        `RunEveryNMinutes ${minutes} is not a whole number of minutes ≥ 1`,
        'The Web Connector can run every 1 minute at the most often; choose a whole number of minutes.',
      ),
    );
  }
  const element = (name: string, value: string) => `  <${name}>${escapeXml(value)}</${name}>\n`;
  const optional = (name: string, value: string | undefined) => (value === undefined ? '' : element(name, value));
  return ok(
    '<?xml version="1.0" encoding="utf-8"?>\n<QBWCXML>\n' +
      element('AppName', options.appName) +
      (options.appId ? element('AppID', options.appId) : '  <AppID></AppID>\n') +
      element('AppURL', options.appUrl) +
      element('AppDescription', options.appDescription) +
      element('AppSupport', options.appSupport) +
      optional('AppUniqueName', options.appUniqueName) +
      optional('AppDisplayName', options.appDisplayName) +
      element('UserName', options.userName) +
      element('OwnerID', ownerId) +
      element('FileID', fileId) +
      element('QBType', options.qbType ?? 'QBFS') +
      optional('AuthFlags', options.authFlags) +
      optional('UnattendedModePref', options.unattendedModePref) +
      optional('PersonalDataPref', options.personalDataPref) +
      `  <Scheduler>\n    <RunEveryNMinutes>${minutes}</RunEveryNMinutes>\n  </Scheduler>\n` +
      element('IsReadOnly', options.isReadOnly ? 'true' : 'false') +
      '</QBWCXML>\n',
  );
}

/** Reads a .qwc file (any element order, as QBWC does). Required elements missing or bad GUIDs are errors. */
export function parseQwcFile(text: string): Result<QwcFile> {
  const parsed = parseXml(text);
  if (!parsed.ok) {
    return err(
      qwcError(
        'QWC_UNREADABLE',
        `the .qwc file is not well-formed XML: ${parsed.detail}`,
        'The .qwc file is damaged. Download it again from the connector.',
      ),
    );
  }
  const root = parsed.root;
  if (root.localName !== 'QBWCXML') {
    return err(
      qwcError(
        'QWC_UNREADABLE',
        `root element is <${root.name}>, not <QBWCXML>`,
        'This is not a Web Connector (.qwc) file. Download it again from the connector.',
      ),
    );
  }
  const value = (name: string): string | null => {
    const found = root.children.find((c) => c.localName === name);
    return found ? found.text.trim() : null;
  };
  const missing = ['AppName', 'AppURL', 'UserName', 'OwnerID', 'FileID', 'QBType'].filter((n) => value(n) === null);
  if (missing.length > 0) {
    return err(
      qwcError(
        'QWC_MISSING_FIELD',
        `the .qwc file lacks ${missing.join(', ')}`,
        'The .qwc file is incomplete. Download it again from the connector.',
      ),
    );
  }
  const ownerId = normaliseGuid(value('OwnerID')!);
  const fileId = normaliseGuid(value('FileID')!);
  if (!ownerId || !fileId) {
    return err(
      qwcError(
        'QWC_INVALID_GUID',
        `OwnerID or FileID is not a GUID`,
        'The .qwc file is damaged. Download it again from the connector.',
      ),
    );
  }
  const scheduler = root.children.find((c) => c.localName === 'Scheduler');
  // When both intervals are present the first one written wins (Programmer's Guide ch.4).
  const interval = scheduler?.children.find(
    (c) => c.localName === 'RunEveryNMinutes' || c.localName === 'RunEveryNSeconds',
  );
  const intervalValue = interval ? Number.parseInt(interval.text.trim(), 10) : Number.NaN;
  const hasInterval = interval !== undefined && Number.isInteger(intervalValue) && intervalValue > 0;
  return ok({
    appName: value('AppName')!,
    appId: value('AppID') ?? '',
    appUrl: value('AppURL')!,
    appDescription: value('AppDescription') ?? '',
    appSupport: value('AppSupport') ?? '',
    userName: value('UserName')!,
    ownerId,
    fileId,
    qbType: value('QBType')!,
    runEveryNMinutes: hasInterval && interval.localName === 'RunEveryNMinutes' ? intervalValue : null,
    runEveryNSeconds: hasInterval && interval.localName === 'RunEveryNSeconds' ? intervalValue : null,
    isReadOnly: value('IsReadOnly')?.toLowerCase() === 'true',
    appUniqueName: value('AppUniqueName'),
    appDisplayName: value('AppDisplayName'),
    authFlags: value('AuthFlags'),
    unattendedModePref: value('UnattendedModePref'),
    personalDataPref: value('PersonalDataPref'),
  });
}
