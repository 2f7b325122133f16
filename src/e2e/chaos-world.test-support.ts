/**
 * The world around the connector in a chaos schedule: a PostgreSQL schema of its own whose backends can be
 * terminated, and QuickBooks behind the Web Connector, busy when the schedule says.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openCompany, type QuickBooksCompany } from '../simulators/quickbooks/index.ts';
import type { QuickBooksRequestProcessor } from '../simulators/webconnector/index.ts';
import { TEST_DATABASE_URL } from '../storage/engines.test-support.ts';
import type { ChaosClock } from './chaos-processes.test-support.ts';

export async function postgresSchema(): Promise<{ url: string; drop: () => Promise<void>; appName: string }> {
  const schema = `chaos_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  url.searchParams.set('application_name', schema);
  return {
    url: url.toString(),
    appName: schema,
    drop: async () => {
      const dropper = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await dropper.connect();
      await dropper.query(`drop schema if exists ${schema} cascade`);
      await dropper.end();
    },
  };
}

/** QuickBooks for the Web Connector: the company file opened per session, busy when the schedule says. */
export function chaosProcessor(path: string, clock: ChaosClock, companyName: string) {
  let company: QuickBooksCompany | null = null;
  let busy: { requests: number; code: 3175 | 3176 | 3180 } | null = null;
  const opened = () => {
    if (!company) throw new Error('Bug: the company file is used before open()');
    return company;
  };
  const processor: QuickBooksRequestProcessor = {
    open(file) {
      company ??= openCompany(path, { edition: 'premier', companyName, clock: { now: () => clock.now() } });
      const result = company.open(file);
      if (result.ok && busy) {
        company.faults.busy(busy.requests, busy.code);
        busy = null;
      }
      return result;
    },
    ensureFileId: (owner, file) => opened().ensureFileId(owner, file),
    hostCompanyPreferences: (owner) => opened().hostCompanyPreferences(owner),
    processRequest: (xml) => opened().processRequest(xml),
    requestProcessorVersion: () => opened().requestProcessorVersion(),
    close() {
      company?.close();
      company = null;
    },
  };
  return {
    processor,
    armBusy(requests: number, code: 3175 | 3176 | 3180) {
      busy = { requests, code };
    },
    /** Whether the busy fault armed for this session reached QuickBooks (the session opened the company file). */
    disarmBusy(): boolean {
      const unused = busy !== null;
      busy = null;
      return !unused;
    },
    withCompany<T>(work: (company: QuickBooksCompany) => T): T {
      const own = openCompany(path, { edition: 'premier', clock: { now: () => clock.now() } });
      try {
        return work(own);
      } finally {
        own.close();
      }
    },
  };
}

/** Ends every PostgreSQL backend the connector's instances hold (they name themselves by application_name). */
export async function terminateBackends(appName: string): Promise<number> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const answer = await admin.query(
      'select pg_terminate_backend(pid) as ended from pg_stat_activity where application_name = $1 and pid <> pg_backend_pid()',
      [appName],
    );
    return answer.rows.filter((row: { ended: boolean }) => row.ended).length;
  } finally {
    await admin.end();
  }
}
