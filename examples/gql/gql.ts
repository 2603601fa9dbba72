/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "mutation AddStamp($stampIdx: Int!, $idempotencyKey: String) {\n  addStamp(input: {stampIdx: $stampIdx, idempotencyKey: $idempotencyKey}) {\n    stampIdx\n    stamp {\n      stampIdx\n      stamps\n      maxStamps\n      complete\n    }\n  }\n}": typeof types.AddStampDocument,
    "query MyStamps($first: Int, $after: String) {\n  myStamps(first: $first, after: $after) {\n    stamps {\n      ...PunchCard\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment PunchCard on Stamp {\n  stampIdx\n  cardName\n  cardTitle\n  stamps\n  maxStamps\n  remaining\n  complete\n  endDate\n  asOf\n}": typeof types.MyStampsDocument,
    "mutation RedeemStamp($stampIdx: Int!, $onsitePassword: String, $idempotencyKey: String) {\n  redeemStamp(\n    input: {stampIdx: $stampIdx, onsitePassword: $onsitePassword, idempotencyKey: $idempotencyKey}\n  ) {\n    stampIdx\n  }\n}": typeof types.RedeemStampDocument,
    "query CashierStamp($stampIdx: Int!) {\n  stamp(stampIdx: $stampIdx) {\n    stampIdx\n    cardName\n    stamps\n    maxStamps\n    complete\n    onsiteApproval\n    user {\n      id\n      name\n    }\n  }\n}": typeof types.CashierStampDocument,
    "subscription PunchCardChanged($stampIdxs: [Int!]!) {\n  stampsChanged(stampIdxs: $stampIdxs) {\n    stampIdx\n    action\n    source\n    at\n    stamp {\n      ...PunchCard\n    }\n  }\n}": typeof types.PunchCardChangedDocument,
    "query StampsOfUser($userId: String!, $after: String) {\n  stampsOfUser(userId: $userId, after: $after) {\n    userId\n    stamps {\n      stampIdx\n      cardName\n      stamps\n      maxStamps\n      complete\n      onsiteApproval\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": typeof types.StampsOfUserDocument,
};
const documents: Documents = {
    "mutation AddStamp($stampIdx: Int!, $idempotencyKey: String) {\n  addStamp(input: {stampIdx: $stampIdx, idempotencyKey: $idempotencyKey}) {\n    stampIdx\n    stamp {\n      stampIdx\n      stamps\n      maxStamps\n      complete\n    }\n  }\n}": types.AddStampDocument,
    "query MyStamps($first: Int, $after: String) {\n  myStamps(first: $first, after: $after) {\n    stamps {\n      ...PunchCard\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment PunchCard on Stamp {\n  stampIdx\n  cardName\n  cardTitle\n  stamps\n  maxStamps\n  remaining\n  complete\n  endDate\n  asOf\n}": types.MyStampsDocument,
    "mutation RedeemStamp($stampIdx: Int!, $onsitePassword: String, $idempotencyKey: String) {\n  redeemStamp(\n    input: {stampIdx: $stampIdx, onsitePassword: $onsitePassword, idempotencyKey: $idempotencyKey}\n  ) {\n    stampIdx\n  }\n}": types.RedeemStampDocument,
    "query CashierStamp($stampIdx: Int!) {\n  stamp(stampIdx: $stampIdx) {\n    stampIdx\n    cardName\n    stamps\n    maxStamps\n    complete\n    onsiteApproval\n    user {\n      id\n      name\n    }\n  }\n}": types.CashierStampDocument,
    "subscription PunchCardChanged($stampIdxs: [Int!]!) {\n  stampsChanged(stampIdxs: $stampIdxs) {\n    stampIdx\n    action\n    source\n    at\n    stamp {\n      ...PunchCard\n    }\n  }\n}": types.PunchCardChangedDocument,
    "query StampsOfUser($userId: String!, $after: String) {\n  stampsOfUser(userId: $userId, after: $after) {\n    userId\n    stamps {\n      stampIdx\n      cardName\n      stamps\n      maxStamps\n      complete\n      onsiteApproval\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}": types.StampsOfUserDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation AddStamp($stampIdx: Int!, $idempotencyKey: String) {\n  addStamp(input: {stampIdx: $stampIdx, idempotencyKey: $idempotencyKey}) {\n    stampIdx\n    stamp {\n      stampIdx\n      stamps\n      maxStamps\n      complete\n    }\n  }\n}"): (typeof documents)["mutation AddStamp($stampIdx: Int!, $idempotencyKey: String) {\n  addStamp(input: {stampIdx: $stampIdx, idempotencyKey: $idempotencyKey}) {\n    stampIdx\n    stamp {\n      stampIdx\n      stamps\n      maxStamps\n      complete\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyStamps($first: Int, $after: String) {\n  myStamps(first: $first, after: $after) {\n    stamps {\n      ...PunchCard\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment PunchCard on Stamp {\n  stampIdx\n  cardName\n  cardTitle\n  stamps\n  maxStamps\n  remaining\n  complete\n  endDate\n  asOf\n}"): (typeof documents)["query MyStamps($first: Int, $after: String) {\n  myStamps(first: $first, after: $after) {\n    stamps {\n      ...PunchCard\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}\n\nfragment PunchCard on Stamp {\n  stampIdx\n  cardName\n  cardTitle\n  stamps\n  maxStamps\n  remaining\n  complete\n  endDate\n  asOf\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RedeemStamp($stampIdx: Int!, $onsitePassword: String, $idempotencyKey: String) {\n  redeemStamp(\n    input: {stampIdx: $stampIdx, onsitePassword: $onsitePassword, idempotencyKey: $idempotencyKey}\n  ) {\n    stampIdx\n  }\n}"): (typeof documents)["mutation RedeemStamp($stampIdx: Int!, $onsitePassword: String, $idempotencyKey: String) {\n  redeemStamp(\n    input: {stampIdx: $stampIdx, onsitePassword: $onsitePassword, idempotencyKey: $idempotencyKey}\n  ) {\n    stampIdx\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query CashierStamp($stampIdx: Int!) {\n  stamp(stampIdx: $stampIdx) {\n    stampIdx\n    cardName\n    stamps\n    maxStamps\n    complete\n    onsiteApproval\n    user {\n      id\n      name\n    }\n  }\n}"): (typeof documents)["query CashierStamp($stampIdx: Int!) {\n  stamp(stampIdx: $stampIdx) {\n    stampIdx\n    cardName\n    stamps\n    maxStamps\n    complete\n    onsiteApproval\n    user {\n      id\n      name\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription PunchCardChanged($stampIdxs: [Int!]!) {\n  stampsChanged(stampIdxs: $stampIdxs) {\n    stampIdx\n    action\n    source\n    at\n    stamp {\n      ...PunchCard\n    }\n  }\n}"): (typeof documents)["subscription PunchCardChanged($stampIdxs: [Int!]!) {\n  stampsChanged(stampIdxs: $stampIdxs) {\n    stampIdx\n    action\n    source\n    at\n    stamp {\n      ...PunchCard\n    }\n  }\n}"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query StampsOfUser($userId: String!, $after: String) {\n  stampsOfUser(userId: $userId, after: $after) {\n    userId\n    stamps {\n      stampIdx\n      cardName\n      stamps\n      maxStamps\n      complete\n      onsiteApproval\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"): (typeof documents)["query StampsOfUser($userId: String!, $after: String) {\n  stampsOfUser(userId: $userId, after: $after) {\n    userId\n    stamps {\n      stampIdx\n      cardName\n      stamps\n      maxStamps\n      complete\n      onsiteApproval\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n  }\n}"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;