import { type GraphQLResolveInfo, Kind, type SelectionSetNode } from 'graphql';
import { builder, type GatewayContext } from '../../builder.js';
import { errors } from '../../errors.js';
import { readStampOrNull } from '../../stamps/read.js';
import type { StampPayload } from '../../stamps/mutation.js';
import { Stamp } from '../stamp.js';
import { idempotencyKeySchema } from '../inputs.js';
import { executedRootFields } from './root-fields.js';

/** Whether the client's selection of this mutation field includes `field` (fragments count as yes). */
export function selects(info: GraphQLResolveInfo, field: string): boolean {
  const visit = (set: SelectionSetNode | undefined): boolean =>
    !!set?.selections.some((s) => (s.kind === Kind.FIELD ? s.name.value === field : true));
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/**
 * The idempotency key of a mutation: its input's, or the request's `Idempotency-Key` header, which
 * applies only to a request that executes one mutation.
 */
export function idempotencyKeyOf(ctx: GatewayContext, input: { idempotencyKey?: string | null }, info: GraphQLResolveInfo): string | null {
  if (input.idempotencyKey) return input.idempotencyKey;
  if (ctx.idempotencyKeyHeader === null) return null;
  const header = idempotencyKeySchema.safeParse(ctx.idempotencyKeyHeader);
  if (!header.success) throw errors.badUserInput(header.error.issues.map((i) => ({ path: 'Idempotency-Key', message: i.message })));
  if (executedRootFields(info).size > 1) {
    throw errors.badUserInput([
      { path: 'Idempotency-Key', message: 'applies to one mutation per request; give each input its own idempotencyKey' },
    ]);
  }
  return ctx.idempotencyKeyHeader;
}

/** What the domain needs to know about a stamp-changing mutation from its GraphQL request. */
export function mutationOptions(
  ctx: GatewayContext,
  input: { idempotencyKey?: string | null },
  info: GraphQLResolveInfo,
  readBackField = 'stamp',
) {
  return { idempotencyKey: idempotencyKeyOf(ctx, input, info), readBack: selects(info, readBackField) };
}

/** A Relay-style payload carrying the changed stamp's id and the stamp as it is now. */
export function stampPayload<Shape extends StampPayload>(name: string, description: string) {
  return builder.objectRef<Shape>(name).implement({
    description,
    fields: (t) => ({
      stampIdx: t.int({ description: 'The stamp changed.', resolve: (payload) => payload.stampIdx }),
      stamp: t.field({
        type: Stamp,
        nullable: true,
        description: 'The stamp after the change, read from the stamp service; null when it no longer shows it.',
        // Read inside the mutation (and kept for idempotent replays) when the client asked for it.
        resolve: (payload, _, ctx) => (payload.stamp !== undefined ? payload.stamp : readStampOrNull(ctx.stamps, payload.stampIdx)),
      }),
      stampUnavailableReason: t.string({
        nullable: true,
        description:
          "Why `stamp` is null: the stamp service's reason for not showing the stamp, e.g. its validity window has not started yet (a future startDate) or it was deactivated. Null when `stamp` is given, or was not asked for.",
        resolve: (payload) => payload.stampUnavailableReason ?? null,
      }),
    }),
  });
}

/** The description every mutation's `input` argument has. */
export const INPUT_DESCRIPTION = 'What to do; see the input type for each field.';
