import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.js';
import './scalars.js';
import './stamp.js';
import './mutations/create-stamp.js';
import './mutations/update-stamp.js';
import './mutations/reset-stamp-pin.js';
import './mutations/delete-stamp.js';
import './mutations/add-stamp.js';
import './mutations/remove-stamp.js';
import './mutations/adjust-stamp-count.js';
import './mutations/redeem-stamp.js';
import './mutations/redeem-and-reissue.js';
import './mutations/resolve-parked-reissue.js';
import './history.js';
import './user-stamps.js';
import './subscriptions.js';

builder.mutationType({
  description:
    'Every mutation takes one input and returns a payload; failures carry extensions.code and, for upstream failures, extensions.outcome.',
});

/** The executable schema (sorted, so the printed contract is stable). */
export const schema = lexicographicSortSchema(builder.toSchema());
