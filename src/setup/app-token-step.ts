/** Step 1: the app token and the .qwc file. */
import { ok, type Result } from '../errors/index.ts';
import { updateIntegration } from '../integration/index.ts';
import { companyFileQwc } from '../qbwc/delivery/index.ts';
import { pairCompanyFile, replaceAppToken } from '../qbwc/session/index.ts';
import { appendAudit, getCompanyFile } from '../storage/index.ts';
import { requestCompanyRead } from './company-lists.ts';
import { refuse, type SetupContext } from './context.ts';
import { companyFileOf, shopOf } from './shop.ts';
import { outOfOrder } from './steps.ts';

export interface IssuedToken {
  /** The app token: the Web Connector password. Shown this once; only its hash is kept. */
  appToken: string;
  userName: string;
  qwc: string;
}

export async function issueAppToken(
  ctx: SetupContext,
  domain: string,
  input: { userName?: string } = {},
): Promise<Result<IssuedToken>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const { shop, integration } = found.value;
  if (integration.state === 'started') {
    return refuse(
      'SETUP_ALREADY_STARTED',
      'The integration has started. A new app token for a running integration is a support operation.',
    );
  }
  let companyFile = await companyFileOf(ctx, integration);
  let appToken: string;
  if (companyFile) {
    appToken = await replaceAppToken(ctx.storage, companyFile.id, { now: ctx.clock() });
  } else {
    const paired = await pairCompanyFile(ctx.storage, { shopId: shop.id, userName: input.userName, now: ctx.clock() });
    if (!paired.ok) return paired;
    appToken = paired.value.appToken;
    companyFile = await getCompanyFile(ctx.storage, paired.value.companyFileId);
    if (!companyFile) throw new Error('Company file vanished after pairing');
    const updated = await updateIntegration(
      ctx.storage,
      integration,
      { companyFileId: companyFile.id, state: 'paired' },
      ctx.clock(),
    );
    if (!updated.ok) return updated;
    // The first Web Connector session reads the lists the next steps need, so it has work to do.
    const read = await requestCompanyRead(ctx, updated.value, companyFile.id);
    if (!read.ok) return read;
  }
  const qwc = companyFileQwc(companyFile, ctx.qwcOptions(shop));
  if (!qwc.ok) return qwc;
  await appendAudit(ctx.storage, {
    actor: 'merchant',
    action: 'app-token.issued',
    shopId: shop.id,
    companyFileId: companyFile.id,
    details: { userName: companyFile.webConnectorUserName },
  });
  ctx.logger.info('app token issued', { shop: shop.domain, userName: companyFile.webConnectorUserName });
  return ok({ appToken, userName: companyFile.webConnectorUserName, qwc: qwc.value });
}

export async function qwcFile(ctx: SetupContext, domain: string): Promise<Result<string>> {
  const found = await shopOf(ctx, domain);
  if (!found.ok) return found;
  const companyFile = await companyFileOf(ctx, found.value.integration);
  if (!companyFile) return outOfOrder('connect', 'appToken');
  return companyFileQwc(companyFile, ctx.qwcOptions(found.value.shop));
}
