import { z } from 'zod';
import { builder } from '../builder.js';
import { readStamp, type Validation, validateStamp } from '../stamps/read.js';
import type { Stamp as StampShape, StampUser as StampUserShape } from '../upstream/mapping.js';
import { LIMITS, stampIdxSchema } from './inputs.js';
import { requires } from './scopes.js';

export const StampUser = builder.objectRef<StampUserShape>('StampUser').implement({
  description: 'The customer a stamp belongs to, as stored with the stamp (internal fields, never shown to the customer).',
  fields: (t) => ({
    id: t.exposeString('id', { description: "The customer's id: your site's login id, or one the stamp service generated." }),
    name: t.exposeString('name', { nullable: true, description: 'Name.' }),
    phone: t.exposeString('phone', { nullable: true, description: 'Phone number.' }),
    email: t.exposeString('email', { nullable: true, description: 'Email address.' }),
    etc1: t.exposeString('etc1', { nullable: true, description: 'Free internal field.' }),
    etc2: t.exposeString('etc2', { nullable: true, description: 'Free internal field.' }),
  }),
});

export const Stamp = builder.objectRef<StampShape>('Stamp').implement({
  description: "One customer's punch card on a stamp card: how many stamps they have collected towards the reward.",
  fields: (t) => ({
    stampIdx: t.exposeInt('stampIdx', { description: "The stamp's id at the stamp service." }),
    cardIdx: t.exposeInt('cardIdx', { description: 'The stamp card (template) this stamp belongs to.' }),
    cardName: t.exposeString('cardName', { nullable: true, description: 'Name of the stamp card, e.g. "10 Americanos".' }),
    cardTitle: t.exposeString('cardTitle', { nullable: true, description: 'Tagline of the stamp card, e.g. "Collect 10, get 1 free".' }),
    stamps: t.exposeInt('stamps', { description: 'Stamps collected so far.' }),
    maxStamps: t.exposeInt('maxStamps', { description: "The card's number of stamps for the reward." }),
    remaining: t.int({
      description: 'Stamps still needed for the reward (0 when complete).',
      resolve: (s) => Math.max(0, s.maxStamps - s.stamps),
    }),
    complete: t.boolean({
      description: 'True when every stamp is collected and the reward can be redeemed.',
      resolve: (s) => s.stamps >= s.maxStamps,
    }),
    active: t.exposeBoolean('active', { description: 'False when the stamp has been deactivated: it cannot be used.' }),
    startDate: t.expose('startDate', { type: 'Date', description: 'First day the stamp can be used (Asia/Seoul).' }),
    endDate: t.expose('endDate', { type: 'Date', description: 'Last day the stamp can be used (Asia/Seoul).' }),
    domain: t.exposeString('domain', { nullable: true, description: 'Domain of the customer-facing stamp page.' }),
    stampUrl: t.exposeString('stampUrl', { nullable: true, description: 'The customer-facing stamp page.' }),
    url: t.exposeString('url', { nullable: true, description: "Where the stamp page's button sends the customer (set on the card)." }),
    imageUrl: t.exposeString('imageUrl', { nullable: true, description: "The card's stamp icon." }),
    memo: t.exposeString('memo', { nullable: true, description: 'Internal note.' }),
    onsiteApproval: t.exposeBoolean('onsiteApproval', {
      description: 'True when redeeming needs the staff password entered on site.',
    }),
    user: t.field({ type: StampUser, description: 'The customer the stamp belongs to.', resolve: (s) => s.user }),
    onsitePassword: t.exposeString('onsitePassword', {
      nullable: true,
      ...requires('stamps:admin', 'The staff password for on-site approval, when the card has one. A secret.'),
    }),
    issuedAt: t.expose('issuedAt', { type: 'DateTime', nullable: true, description: 'When the stamp was issued.' }),
    asOf: t.field({
      type: 'DateTime',
      description:
        "When the stamp service last confirmed this state. Usually just now; older when the gateway answered from the last state it knows (the stamp API's quota was used up and no change of the stamp has been announced since), so a front-end can show its age.",
      resolve: (s) => s.asOf ?? s.issuedAt ?? '1970-01-01T00:00:00Z',
    }),
  }),
});

const StampValidation = builder.objectRef<Validation>('StampValidation').implement({
  description: 'Whether a stamp can be used right now: it exists, is inside its validity window, is active and its reward is not redeemed.',
  fields: (t) => ({
    stampIdx: t.exposeInt('stampIdx', { description: 'The stamp asked about.' }),
    valid: t.exposeBoolean('valid', { description: 'True when the stamp can be used (stamped, redeemed).' }),
    reason: t.exposeString('reason', { nullable: true, description: "Why not, in the stamp service's words; null when valid." }),
    stamp: t.field({ type: Stamp, nullable: true, description: 'The stamp, when valid.', resolve: (v) => v.stamp }),
  }),
});

builder.queryType({
  description: 'Reads go through one batched, de-duplicated loader per request: each stamp is read from the stamp API once.',
  fields: (t) => ({
    stamp: t.field({
      type: Stamp,
      nullable: true,
      ...requires(
        'stamps:read',
        'One stamp. Null, with a STAMP_UNAVAILABLE error, when the stamp service refuses it (unknown, expired, inactive or redeemed). A customer token sees only its own stamps.',
      ),
      args: { stampIdx: t.arg.int({ required: true, description: "The stamp's id.", validate: stampIdxSchema }) },
      resolve: (_, { stampIdx }, ctx) => readStamp(ctx.stamps, stampIdx),
    }),
    stamps: t.field({
      type: [Stamp],
      nullable: { list: false, items: true },
      ...requires(
        'stamps:read',
        `Several stamps, in the order asked, duplicates read once. An unavailable stamp is null at its position with its own error. At most ${LIMITS.stampsPerRequest} ids.`,
      ),
      args: {
        stampIdxs: t.arg.intList({
          required: true,
          description: `The stamps' ids (at most ${LIMITS.stampsPerRequest}).`,
          validate: z.array(stampIdxSchema).max(LIMITS.stampsPerRequest, `must list at most ${LIMITS.stampsPerRequest} ids`),
        }),
      },
      resolve: (_, { stampIdxs }, ctx) => stampIdxs.map((idx) => readStamp(ctx.stamps, idx)),
    }),
    validateStamp: t.field({
      type: StampValidation,
      ...requires(
        'stamps:read',
        'Checks whether a stamp can be used now. An unusable stamp is an answer (valid: false, with the reason), not an error.',
      ),
      args: { stampIdx: t.arg.int({ required: true, description: "The stamp's id.", validate: stampIdxSchema }) },
      resolve: (_, { stampIdx }, ctx) => validateStamp(ctx.stamps, stampIdx),
    }),
  }),
});
