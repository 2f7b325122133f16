/**
 * One realistic request per supported message, filled with every optional block the connector uses: what
 * `qbd-connector qbxml samples` writes, and the "fullest variants" the XSD tests validate.
 */
import type { QbxmlRequest } from './build.ts';
import type { MessageName } from './generated/schema.ts';
import { MESSAGES } from './generated/schema.ts';
import { CHANGE_BODIES } from './samples-changes.ts';
import { LIST_BODIES } from './samples-lists.ts';
import { TRANSACTION_BODIES } from './samples-transactions.ts';
import { messageDef, typeInfo } from './schema.ts';

const BODIES: { [K in MessageName]: QbxmlRequest['body'] & object } = {
  ...CHANGE_BODIES,
  ...LIST_BODIES,
  ...TRANSACTION_BODIES,
};

/** The sample request of every supported message (queries that can iterate start an iterator). */
export function sampleRequests(): QbxmlRequest[] {
  return (Object.keys(MESSAGES) as MessageName[]).map((type, index) => {
    const iterates = typeInfo(messageDef(type).rq).attributeNames.has('iterator');
    return {
      type,
      requestID: `${type}-${index + 1}`,
      body: BODIES[type],
      ...(iterates ? { attributes: { iterator: 'Start' } } : {}),
    } as QbxmlRequest;
  });
}
