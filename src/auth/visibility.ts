import { errors, type GatewayError } from '../errors.js';
import type { Caller } from './authentication.js';

/**
 * Who may see which stamp: a customer token sees only stamps whose user.id is its own `sub`; staff
 * callers (API keys, tokens with a write, redeem or admin scope) see every stamp their scopes allow.
 */
export function canSee(caller: Caller, stamp: { user: { id: string } }): boolean {
  return caller.customerUserId === null || stamp.user.id === caller.customerUserId;
}

/** Whether a caller's reads are limited to its own stamps. */
export function isCustomer(caller: Caller): boolean {
  return caller.customerUserId !== null;
}

/**
 * What a customer gets for a stamp it may not see, and for any stamp the stamp API refuses: exactly
 * the answer of a stamp that does not exist, with no upstream reason, so ids cannot be probed.
 */
export function hiddenStamp(stampIdx: number): GatewayError {
  return errors.stampUnavailable(stampIdx, 'The stamp is not available.');
}
