/** The setup steps in their order, their titles, and the refusal when one is taken too early. */
import { ConnectorError, err, type Result } from '../errors/index.ts';

/**
 * The integration setup, as the help page walks the merchant through it, in the order the Web Connector makes
 * possible: QuickBooks can only be read once the Web Connector has the app token, so the token comes first and
 * the sales tax check reads the company file through the first Web Connector session.
 *
 *   1. appToken   — generate the token (shown once) and the .qwc file
 *   2. connect    — the Web Connector authenticates; the company file is bound and its lists are read
 *   3. salesTax   — sales tax on, most common sales tax item at 0 % (or the merchant fixes it in QuickBooks)
 *   4. options    — account mapping, schedule, Summary/Detailed modes, purchase-order source, start date
 *   5. start      — once; a second start is refused (reset is a support operation)
 *
 * Every step checks the ones before it and answers with a plain message; a failed step changes nothing.
 */
export const SETUP_STEPS = ['appToken', 'connect', 'salesTax', 'options', 'start'] as const;

export type SetupStep = (typeof SETUP_STEPS)[number];

export const STEP_TITLES: Record<SetupStep, string> = {
  appToken: 'App token and Web Connector file',
  connect: 'Connect the QuickBooks company file',
  salesTax: 'Sales tax settings',
  options: 'Account mapping and options',
  start: 'Start integration',
};

export function outOfOrder(step: SetupStep, needed: SetupStep): Result<never> {
  return err(
    new ConnectorError({
      code: 'SETUP_STEP_OUT_OF_ORDER',
      message: `Setup step ${step} needs ${needed} first`,
      merchantMessage: `Finish “${STEP_TITLES[needed]}” before “${STEP_TITLES[step]}”.`,
      merchantMustAct: true,
      details: { step, needed },
    }),
  );
}
