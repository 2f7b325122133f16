/** Web Connector pairing (app token, user name, OwnerID/FileID), sessions in the database, the company-file check. */
export {
  DEFAULT_SCRYPT,
  generateAppToken,
  hashAppToken,
  newQuickBooksGuid,
  normalizeAppToken,
  type ScryptParameters,
  verifyAppToken,
} from './app-token.ts';
export { type CompanyCheck, checkOpenedCompany, type OpenedCompany, readOpenedCompany } from './company-check.ts';
export { type CompanyFilePairing, type PairCompanyFileInput, pairCompanyFile, replaceAppToken } from './pairing.ts';
export {
  clearLoginFailures,
  closeSession,
  findOpenSession,
  findOpenSessionOfCompanyFile,
  findSessionByTicket,
  LOCKOUT_FAILURES,
  LOCKOUT_MS,
  LOCKOUT_WINDOW_MS,
  noteSessionProblem,
  openSession,
  recentSessions,
  recordLoginFailure,
  SESSION_IDLE_MS,
  SESSION_TAKEOVER_MS,
  sessionsWithProblems,
  updateSession,
  type WebConnectorSession,
  WORK_AT_START_COUNTED,
} from './sessions.ts';
