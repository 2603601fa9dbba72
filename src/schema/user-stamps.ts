import { z } from 'zod';
import { builder } from '../builder.js';
import { myStamps, stampsOfUser, USER_STAMPS_PAGE_MAX as MAX_PAGE, type UserStampsPage } from '../stamps/user-stamps.js';
import { PageInfo } from './history.js';
import { LIMITS, text } from './inputs.js';
import { Stamp } from './stamp.js';
import { requires } from './scopes.js';

const INDEX_NOTE =
  'The stamp API cannot be searched by user, so these come from the gateway’s own index of stamp → user, fed by every stamp it creates, reads or hears about by webhook. A stamp made elsewhere and never seen by the gateway is missing until an operator backfills the index (`npm run index-stamps -- FILE`). Each stamp listed is read now (through the cache, batched, within the quota): one the stamp service no longer shows (redeemed, expired, inactive, deleted) or that now belongs to someone else is left out, so a page can hold fewer than `first`.';

const UserStamps = builder.objectRef<UserStampsPage>('UserStamps').implement({
  description: "A page of one user's stamps, by stampIdx (oldest first).",
  fields: (t) => ({
    userId: t.exposeString('userId', { description: 'Whose stamps these are.' }),
    stamps: t.field({ type: [Stamp], description: 'The stamps of this page, each in its current state.', resolve: (p) => p.stamps }),
    pageInfo: t.field({
      type: PageInfo,
      description: 'How to get the next page.',
      resolve: (p) => ({ hasNextPage: p.hasNextPage, endCursor: p.endCursor }),
    }),
  }),
});

const pageArgs = builder.args((t) => ({
  first: t.int({
    description: `Stamps per page, 1 to ${MAX_PAGE} (default 20).`,
    validate: z.number().int().min(1, `must be between 1 and ${MAX_PAGE}`).max(MAX_PAGE, `must be between 1 and ${MAX_PAGE}`).nullish(),
  }),
  after: t.string({ description: 'The endCursor of the previous page.', validate: text(40).nullish() }),
}));

builder.queryFields((t) => ({
  myStamps: t.field({
    type: UserStamps,
    ...requires(
      'stamps:read',
      `The stamps of the customer a customer token names (those whose user.id is the token's sub). Staff callers get FORBIDDEN: they name the user with stampsOfUser. ${INDEX_NOTE}`,
    ),
    args: pageArgs,
    resolve: (_, { first, after }, ctx) => myStamps(ctx.stamps, first ?? 20, after),
  }),
  stampsOfUser: t.field({
    type: UserStamps,
    ...requires(
      'stamps:read',
      `The stamps of one user, for staff. A customer token asking gets its own stamps for its own id, and none for anyone else's. ${INDEX_NOTE}`,
    ),
    args: {
      userId: t.arg.string({
        required: true,
        description: `The user's id (1 to ${LIMITS.userId} characters).`,
        validate: text(LIMITS.userId).min(1, 'must not be empty'),
      }),
      ...pageArgs,
    },
    resolve: (_, { userId, first, after }, ctx) => stampsOfUser(ctx.stamps, userId, first ?? 20, after),
  }),
}));
