import type { GraphQLError } from 'graphql';
import { builder } from '../../builder.js';
import { type GatewayContext, stampUnavailable } from '../../context.js';
import { UpstreamRejectedError } from '../../upstream/errors.js';
import type { Stamp as StampShape } from '../../upstream/mapping.js';
import { conflict } from '../../safety/stamp-checks.js';
import { ErrorCode, upstreamToGraphQL } from '../errors.js';
import { Stamp } from '../stamp.js';

const NOT_APPLIED = { outcome: 'NOT_APPLIED' } as const;

/**
 * The stamp API refused a change without saying why in a way we may rely on (its codes are
 * undocumented). One read tells the client what happened: the stamp is unusable, the change breaks a
 * bound (`check`), or else the refusal as it came.
 */
export async function explainRefusal(
  ctx: GatewayContext,
  stampIdx: number,
  refusal: UpstreamRejectedError,
  check?: (stamp: StampShape) => GraphQLError | undefined,
): Promise<GraphQLError> {
  try {
    const stamp = await ctx.api.validate(stampIdx);
    return check?.(stamp) ?? upstreamToGraphQL(refusal, { mutation: true });
  } catch (error) {
    if (error instanceof UpstreamRejectedError) return stampUnavailable(stampIdx, error.upstreamMessage, NOT_APPLIED);
    return upstreamToGraphQL(refusal, { mutation: true });
  }
}

/** Sends a change; a refusal is explained (see explainRefusal), everything else passes through. */
export async function sendChange(
  ctx: GatewayContext,
  stampIdx: number,
  change: () => Promise<void>,
  check?: (stamp: StampShape) => GraphQLError | undefined,
): Promise<void> {
  try {
    await change();
  } catch (error) {
    if (error instanceof UpstreamRejectedError) throw await explainRefusal(ctx, stampIdx, error, check);
    throw error;
  } finally {
    ctx.forget(stampIdx);
  }
}

/** The resulting stamp, read after the change; null when the stamp service no longer shows it. */
export async function stampAfterChange(ctx: GatewayContext, stampIdx: number): Promise<StampShape | null> {
  try {
    return await ctx.stampLoader.load(stampIdx);
  } catch (error) {
    if ((error as GraphQLError).extensions?.code === ErrorCode.STAMP_UNAVAILABLE) return null;
    throw error;
  }
}

/** A Relay-style payload carrying the changed stamp's id and the stamp as it is now. */
export function stampPayload<Shape extends { stampIdx: number; stamp?: StampShape | null }>(name: string, description: string) {
  return builder.objectRef<Shape>(name).implement({
    description,
    fields: (t) => ({
      stampIdx: t.int({ description: 'The stamp changed.', resolve: (payload) => payload.stampIdx }),
      stamp: t.field({
        type: Stamp,
        nullable: true,
        description: 'The stamp after the change, read from the stamp service; null when it no longer shows it.',
        // Read inside the mutation (and kept for idempotent replays) when the client asked for it.
        resolve: (payload, _, ctx) => (payload.stamp !== undefined ? payload.stamp : stampAfterChange(ctx, payload.stampIdx)),
      }),
    }),
  });
}

/** runMutation's `after` option for payloads shaped by stampPayload. */
export const AFTER_STAMP = { field: 'stamp', stampIdx: (payload: { stampIdx: number }) => payload.stampIdx };
