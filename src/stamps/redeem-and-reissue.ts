import { randomUUID } from 'node:crypto';
import { addDays, latestEndDate, seoulToday } from '../dates.js';
import { asGatewayError, errors, GatewayError } from '../errors.js';
import { type GatewayStore, type ReissueOperation, type ReissueStep, UNFINISHED_REISSUE_STEPS } from '../store/store.js';
import { UpstreamError } from '../upstream/errors.js';
import type { Stamp } from '../upstream/mapping.js';
import type { StampApi } from '../upstream/stamp-api.js';
import { assertRedeemable, readForWrite } from './checks.js';
import { runMutation, type Trace } from './mutation.js';
import type { StampUserIndex } from './user-index.js';
import type { StampSession } from './session.js';

export interface ReissuePayload {
  redeemedStampIdx: number;
  newStampIdx: number;
  /** The new stamp, read back when the client asked for it (null: not shown yet). */
  newStamp?: Stamp | null;
}

/** The new stamp's window: given dates, or the old stamp's length from today, within the 5-year cap. */
export function reissueWindow(old: Stamp, startDate?: string | null, endDate?: string | null, now = new Date()) {
  const today = seoulToday(now);
  const start = startDate ?? today;
  const length = Math.round((Date.parse(old.endDate) - Date.parse(old.startDate)) / 86_400_000);
  const latest = latestEndDate(today);
  const proposed = endDate ?? addDays(start, Math.max(0, length));
  // Calendar dates compare as strings (YYYY-MM-DD).
  return { startDate: start, endDate: proposed > latest ? latest : proposed };
}

export function parkedError(op: ReissueOperation): GatewayError {
  return errors.operationParked(
    `Redeem-and-reissue ${op.id} of stamp ${op.oldStampIdx} needs an operator: ${op.parkedReason}. Nothing more is sent until an operator resolves it (resolveParkedReissue).`,
    { operationId: op.id, parkedStep: op.parkedStep, ...(op.parkedStep === 'issuing' ? { redeemedStampIdx: op.oldStampIdx } : {}) },
  );
}

const IN_FLIGHT: ReissueStep[] = ['redeeming', 'issuing'];

/** Step was in flight in a process that is gone: nobody can know whether it took effect. */
async function abandonedInFlight(store: GatewayStore, op: ReissueOperation): Promise<boolean> {
  return IN_FLIGHT.includes(op.step) && (await store.ownerGone(op.owner));
}

async function park(store: GatewayStore, op: ReissueOperation, step: ReissueStep, reason: string): Promise<never> {
  throw parkedError(await store.updateReissue(op.id, { step: 'parked', parkedStep: step, parkedReason: reason }));
}

/** Issues the next stamp for an operation whose redemption is known to be done. */
async function issue(
  store: GatewayStore,
  api: StampApi,
  op: ReissueOperation,
  leaseMs: number,
  index?: Pick<StampUserIndex, 'seenUser'>,
): Promise<ReissuePayload> {
  const old = op.oldStamp!;
  op = await store.updateReissue(op.id, { step: 'issuing', leaseMs });
  let newStampIdx: number;
  try {
    newStampIdx = await api.create({
      cardIdx: old.cardIdx,
      ...op.newWindow!,
      active: true,
      domain: old.domain,
      memo: `Reissued after redeeming stamp ${old.stampIdx}`,
      user: { ...old.user },
    });
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    if (error.outcome === 'NOT_APPLIED') {
      // Provably no stamp was issued: back to "redeemed", so a retry resumes right here.
      await store.updateReissue(op.id, { step: 'redeemed' });
      const mapped = errors.upstream(error, { mutation: true });
      throw mapped.with(
        { redeemedStampIdx: old.stampIdx, operationId: op.id, failedStep: 'issue' },
        `Stamp ${old.stampIdx} was redeemed, but issuing the next stamp failed: ${mapped.message}`,
      );
    }
    return park(store, op, 'issuing', `issuing the new stamp ended ambiguously (${error.message}); a stamp may have been issued`);
  }
  if (old.user.id) index?.seenUser(newStampIdx, old.user.id);
  await store.updateReissue(op.id, { step: 'finished', newStampIdx });
  return { redeemedStampIdx: old.stampIdx, newStampIdx };
}

/**
 * Redeem-and-reissue as durable steps (read, redeem, issue), each recorded before and after its
 * upstream call. A retry resumes at the first step not known to be done; a step that ended ambiguously,
 * or was in flight when its process died, parks the operation for an operator. Never a second redeem,
 * never a blind second create.
 */
async function runReissue(
  s: StampSession,
  trace: Trace,
  input: { stampIdx: number; onsitePassword?: string | null; startDate?: string | null; endDate?: string | null; key: string },
): Promise<ReissuePayload> {
  const { store, leaseMs } = s.deps;
  let op =
    (await store.findReissue(s.caller.id, input.key)) ??
    (await store.createReissue({ caller: s.caller.id, idempotencyKey: input.key, oldStampIdx: input.stampIdx, leaseMs }));
  if (op.oldStampIdx !== input.stampIdx) {
    throw errors.conflict(`The idempotency key "${input.key}" belongs to the reissue of stamp ${op.oldStampIdx}`);
  }
  if (op.oldStamp) trace.before = op.oldStamp;
  if (await abandonedInFlight(store, op)) await park(store, op, op.step, `the gateway stopped while the ${op.step} step was in flight`);

  switch (op.step) {
    case 'finished':
      return { redeemedStampIdx: op.oldStampIdx, newStampIdx: op.newStampIdx! };
    case 'parked':
      throw parkedError(op);
    case 'redeeming':
    case 'issuing':
      throw new GatewayError('CONFLICT', `Redeem-and-reissue ${op.id} is still running`, { outcome: 'UNKNOWN', operationId: op.id });
    case 'redeemed':
      return issue(store, s.api, op, leaseMs, s.deps.userIndex);
    case 'reading':
      break;
  }

  const old = await readForWrite(s, input.stampIdx);
  trace.before = old;
  const window = reissueWindow(old, input.startDate, input.endDate);
  if (window.startDate > window.endDate) {
    throw errors.badUserInput([{ path: 'input.endDate', message: `must not be before startDate (${window.startDate})` }]);
  }
  assertRedeemable(old, input.onsitePassword);
  op = await store.updateReissue(op.id, { step: 'redeeming', oldStamp: old, newWindow: window, leaseMs });
  try {
    await s.api.redeem(old.stampIdx, old.onsiteApproval ? input.onsitePassword : undefined);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    if (error.outcome === 'NOT_APPLIED') {
      await store.updateReissue(op.id, { step: 'reading' });
      throw error;
    }
    await park(store, op, 'redeeming', `redeeming ended ambiguously (${error.message}); the reward may have been redeemed`);
  }
  s.forget(old.stampIdx);
  op = await store.updateReissue(op.id, { step: 'redeemed' });
  return issue(store, s.api, op, leaseMs, s.deps.userIndex);
}

const newStampReadBack = (readBack: boolean) =>
  readBack ? { field: 'newStamp' as const, stampIdx: (payload: ReissuePayload) => payload.newStampIdx } : null;

/**
 * The reward cycle in one step: redeems the full stamp, then issues a new one on the same card for the
 * same customer. Without an idempotency key the steps are still recorded, under a key of their own.
 */
export function redeemAndReissue(
  s: StampSession,
  input: {
    stampIdx: number;
    onsitePassword?: string | null;
    startDate?: string | null;
    endDate?: string | null;
    idempotencyKey?: string | null;
  },
  options: { idempotencyKey: string | null; readBack: boolean },
): Promise<ReissuePayload> {
  return runMutation<ReissuePayload>(
    s,
    {
      operation: 'redeemAndReissue',
      stampIdx: input.stampIdx,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      rememberErrors: false,
      readBack: newStampReadBack(options.readBack),
    },
    (trace) => runReissue(s, trace, { ...input, key: options.idempotencyKey ?? `auto:${randomUUID()}` }),
  );
}

/** An operator's decision on a parked operation: the new stamp they found, or issue one now. */
export async function resolveParkedReissue(
  s: StampSession,
  input: { operationId: string; newStampIdx?: number | null; issueNew?: boolean | null; idempotencyKey?: string | null },
  options: { idempotencyKey: string | null; readBack: boolean },
): Promise<ReissuePayload> {
  const op = await s.deps.store.getReissue(input.operationId);
  if (!op) throw errors.badUserInput([{ path: 'input.operationId', message: 'is not a redeem-and-reissue operation' }]);
  return runMutation<ReissuePayload>(
    s,
    {
      operation: 'resolveParkedReissue',
      stampIdx: op.oldStampIdx,
      input: { ...input },
      idempotencyKey: options.idempotencyKey,
      readBack: newStampReadBack(options.readBack),
    },
    async (trace) => {
      if (op.step !== 'parked') throw errors.conflict(`Operation ${op.id} is not parked (it is ${op.step})`);
      trace.before = op.oldStamp;
      if (input.newStampIdx) {
        await s.deps.store.updateReissue(op.id, { step: 'finished', newStampIdx: input.newStampIdx });
        return { redeemedStampIdx: op.oldStampIdx, newStampIdx: input.newStampIdx };
      }
      if (!op.oldStamp || !op.newWindow) throw errors.conflict(`Operation ${op.id} never read its stamp; there is nothing to issue`);
      // The operator has checked: the old stamp is redeemed and no new stamp exists. Issue it.
      return issue(s.deps.store, s.api, op, s.deps.leaseMs, s.deps.userIndex);
    },
  );
}

/**
 * At start-up: operations that were in flight in a process that is gone are parked; those that had
 * redeemed and not yet started issuing are finished, since nothing about the create is in doubt.
 */
export async function recoverReissues(store: GatewayStore, api: StampApi, leaseMs: number): Promise<{ parked: number; finished: number }> {
  let parked = 0;
  let finished = 0;
  const record = (op: ReissueOperation, outcome: 'APPLIED' | 'NOT_APPLIED' | 'UNKNOWN', callsFrom: number, error?: GatewayError) =>
    store.appendHistory({
      entryKey: `reissue-recovery:${op.id}:${op.step}`,
      requestId: null,
      caller: 'gateway-recovery',
      operation: 'redeemAndReissue',
      stampIdx: op.oldStampIdx,
      input: { operationId: op.id, recoveredStep: op.step },
      before: op.oldStamp,
      after: null,
      upstreamCalls: api.calls.slice(callsFrom),
      outcome,
      errorCode: error?.code ?? null,
      errorMessage: error?.message ?? null,
      idempotencyKey: op.idempotencyKey,
    });
  for (const op of await store.listReissues(UNFINISHED_REISSUE_STEPS)) {
    const callsFrom = api.calls.length;
    if (op.step === 'redeemed') {
      if (await store.ownerGone(op.owner)) {
        try {
          await issue(store, api, op, leaseMs);
          finished++;
          await record(op, 'APPLIED', callsFrom);
        } catch (error) {
          const mapped = asGatewayError(error, { mutation: true });
          if (!mapped) throw error;
          await record(op, mapped.outcome === 'NOT_APPLIED' ? 'NOT_APPLIED' : 'UNKNOWN', callsFrom, mapped);
        }
      }
    } else if (await abandonedInFlight(store, op)) {
      const reason = `the gateway stopped while the ${op.step} step was in flight`;
      await store.updateReissue(op.id, { step: 'parked', parkedStep: op.step, parkedReason: reason });
      await record(op, 'UNKNOWN', callsFrom, parkedError({ ...op, step: 'parked', parkedStep: op.step, parkedReason: reason }));
      parked++;
    }
  }
  return { parked, finished };
}
