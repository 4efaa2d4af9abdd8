// The billing socket contract: balance, ledger, metered calls.
import { defineContract, type ClientOf, type ServerOf } from '../../infra/contract.js';
import {
  BalanceAnswer,
  BalanceRequest,
  CallRef,
  CallView,
  ChargeEnded,
  ChargeLow,
  ChargeStarted,
  ChargeTick,
  LedgerPage,
  LedgerRequest,
} from './schemas.js';

export const billingContract = defineContract({
  client: {
    /** The caller's balance and active metered calls (as in the snapshot). */
    'billing.balance': { request: BalanceRequest, response: BalanceAnswer },
    /** The caller's ledger, newest first. */
    'billing.ledger': { request: LedgerRequest, response: LedgerPage },
    /** A metered call (or its bill) the caller pays or is paid for. */
    'billing.call': { request: CallRef, response: CallView },
    /** The payer accepts the bill of an ended call (seed charge/confirm). */
    'billing.confirm': { request: CallRef, response: CallView },
  },
  server: {
    /** Metering of a call began (to payer and payee); unit 1 is already paid. */
    'charge.started': ChargeStarted,
    /** Every CHARGE_TICK_SECONDS of a metered call, to payer and payee: elapsed, units, amount, the payer's balance, the tick's due time. */
    'charge.tick': ChargeTick,
    /** The payer's balance pays fewer than CHARGE_LOW_UNITS units (once per crossing). */
    'charge.low': ChargeLow,
    /** Metering ended (reason balance: exhausted, ended by the server). */
    'charge.ended': ChargeEnded,
  },
});

declare module '../../infra/contract.js' {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ClientEventDefs extends ClientOf<typeof billingContract> {}
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface ServerEventDefs extends ServerOf<typeof billingContract> {}
}
