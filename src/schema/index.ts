import { lexicographicSortSchema } from 'graphql';
import { builder } from '../builder.js';
import './scalars.js';
import './stamp.js';
import './mutations/edit.js';
import './mutations/count.js';
import './mutations/redeem.js';
import './history.js';

builder.mutationType({ description: 'Every mutation takes one input and returns a payload; failures carry extensions.code and, for upstream failures, extensions.outcome.' });

/** The executable schema (sorted, so the printed contract is stable). */
export const schema = lexicographicSortSchema(builder.toSchema());
