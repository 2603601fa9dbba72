import { GraphQLError } from 'graphql';
import { builder } from '../../builder.js';
import { addDays, latestEndDate, seoulToday } from '../../dates.js';
import { UpstreamError } from '../../upstream/errors.js';
import type { Stamp as StampShape } from '../../upstream/mapping.js';
import { badUserInput, upstreamToGraphQL } from '../errors.js';
import { idempotencyKeyField, InputSchemas, LIMITS } from '../inputs.js';
import { Stamp } from '../stamp.js';
import { assertRedeemable, mutate, readForWrite, stampAfterChange } from './shared.js';

const onsitePasswordField = (t: PothosSchemaTypes.InputFieldBuilder<import('../../builder.js').Types, 'InputObject'>) =>
  t.string({
    description: 'The staff password, required when the card has on-site approval (Stamp.onsiteApproval). Never logged or stored.',
  });

const RedeemStampInput = builder.inputType('RedeemStampInput', {
  description: 'The full stamp whose reward the customer is receiving.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The stamp.' }),
    onsitePassword: onsitePasswordField(t),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.redeemStamp,
});

interface RedeemShape {
  stampIdx: number;
  redeemedAt: string;
  lastKnown: StampShape;
}

const RedeemStampPayload = builder.objectRef<RedeemShape>('RedeemStampPayload').implement({
  description: 'The reward redeemed. The stamp service shows a redeemed stamp no more; issue a new one for the next cycle.',
  fields: (t) => ({
    stampIdx: t.int({ description: 'The stamp redeemed.', resolve: (p) => p.stampIdx }),
    redeemedAt: t.field({ type: 'DateTime', description: 'When the gateway had the redemption confirmed.', resolve: (p) => p.redeemedAt }),
    lastKnownStamp: t.field({
      type: Stamp,
      description: 'The stamp as read just before it was redeemed (the stamp service no longer shows it).',
      resolve: (p) => p.lastKnown,
    }),
  }),
});

/** Redeems a stamp just read for this purpose, after checking it can be redeemed. */
async function redeem(ctx: Parameters<typeof readForWrite>[0], stamp: StampShape, onsitePassword: string | null | undefined) {
  assertRedeemable(stamp, onsitePassword);
  await ctx.api.redeem(stamp.stampIdx, stamp.onsiteApproval ? onsitePassword : undefined);
  ctx.stampLoader.clear(stamp.stampIdx);
}

builder.mutationField('redeemStamp', (t) =>
  t.field({
    type: RedeemStampPayload,
    description:
      'Marks the reward of a full stamp as used. Irreversible: nothing in the gateway can set it back. Checks, before sending, that the card is full and the on-site password (when the card needs one) is right.',
    args: { input: t.arg({ type: RedeemStampInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input: { stampIdx, onsitePassword } }, ctx) =>
      mutate(() =>
        ctx.locks.run(stampIdx, async () => {
          const lastKnown = await readForWrite(ctx, stampIdx);
          await redeem(ctx, lastKnown, onsitePassword);
          return { stampIdx, redeemedAt: new Date().toISOString(), lastKnown };
        }),
      ),
  }),
);

const RedeemAndReissueInput = builder.inputType('RedeemAndReissueInput', {
  description: 'Redeem a full stamp and issue the next one on the same card for the same customer.',
  fields: (t) => ({
    stampIdx: t.int({ required: true, description: 'The full stamp to redeem.' }),
    onsitePassword: onsitePasswordField(t),
    startDate: t.field({ type: 'Date', description: 'First day of the new stamp. Default: today (Asia/Seoul).' }),
    endDate: t.field({
      type: 'Date',
      description: "Last day of the new stamp. Default: as long a window as the old stamp's, capped at 5 years from today.",
    }),
    idempotencyKey: idempotencyKeyField(t),
  }),
  validate: InputSchemas.redeemAndReissue,
});

/** The new stamp's window: given dates, or the old stamp's length from today, within the 5-year cap. */
export function reissueWindow(old: StampShape, startDate?: string | null, endDate?: string | null, now = new Date()) {
  const today = seoulToday(now);
  const start = startDate ?? today;
  const length = Math.round((Date.parse(old.endDate) - Date.parse(old.startDate)) / 86_400_000);
  const latest = latestEndDate(today);
  const proposed = endDate ?? addDays(start, Math.max(0, length));
  return { startDate: start, endDate: proposed > latest ? latest : proposed };
}

interface ReissueShape {
  redeemedStampIdx: number;
  newStampIdx: number;
}

const RedeemAndReissuePayload = builder.objectRef<ReissueShape>('RedeemAndReissuePayload').implement({
  description: 'The old stamp redeemed and the new one issued.',
  fields: (t) => ({
    redeemedStampIdx: t.int({ description: 'The stamp redeemed.', resolve: (p) => p.redeemedStampIdx }),
    newStampIdx: t.int({ description: 'The stamp issued for the next cycle.', resolve: (p) => p.newStampIdx }),
    newStamp: t.field({
      type: Stamp,
      nullable: true,
      description: 'The new stamp, read from the stamp service; null while it is not yet in its validity window.',
      resolve: (p, _, ctx) => stampAfterChange(ctx, p.newStampIdx),
    }),
  }),
});

builder.mutationField('redeemAndReissue', (t) =>
  t.field({
    type: RedeemAndReissuePayload,
    description:
      "The reward cycle in one step: redeems the full stamp, then issues a new one on the same card for the same customer (user fields carried over). If issuing fails after the redemption, the error says so (extensions.redeemedStampIdx) and whether a stamp may have been issued.",
    args: { input: t.arg({ type: RedeemAndReissueInput, required: true, description: 'What to do; see the input type for each field.' }) },
    resolve: (_, { input }, ctx) =>
      mutate(() =>
        ctx.locks.run(input.stampIdx, async () => {
          const old = await readForWrite(ctx, input.stampIdx);
          const window = reissueWindow(old, input.startDate, input.endDate);
          if (window.startDate > window.endDate) {
            throw badUserInput([{ path: 'input.endDate', message: `must not be before startDate (${window.startDate})` }]);
          }
          await redeem(ctx, old, input.onsitePassword);
          try {
            const newStampIdx = await ctx.api.create({
              cardIdx: old.cardIdx,
              ...window,
              active: true,
              domain: old.domain,
              memo: `Reissued after redeeming stamp ${old.stampIdx}`,
              user: { ...old.user },
            });
            return { redeemedStampIdx: old.stampIdx, newStampIdx };
          } catch (error) {
            if (!(error instanceof UpstreamError)) throw error;
            const mapped = upstreamToGraphQL(error, { mutation: true });
            throw new GraphQLError(`Stamp ${old.stampIdx} was redeemed, but issuing the next stamp failed: ${mapped.message}`, {
              extensions: { ...mapped.extensions, redeemedStampIdx: old.stampIdx, failedStep: 'issue' },
            });
          }
        }),
      ),
  }),
);
