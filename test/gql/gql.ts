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
    "\n  query ReadOne($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx stamps } }\n": typeof types.ReadOneDocument,
    "\n  mutation AddOne($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n": typeof types.AddOneDocument,
    "\n  mutation SetCount($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n": typeof types.SetCountDocument,
    "\n  mutation IssueOne($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n": typeof types.IssueOneDocument,
    "\n  mutation CreateStamp($input: CreateStampInput!) {\n    createStamp(input: $input) { stampIdx stamp { stampIdx stamps active startDate endDate memo user { id name email } } }\n  }\n": typeof types.CreateStampDocument,
    "\n  mutation UpdateStamp($input: UpdateStampInput!) {\n    updateStamp(input: $input) { stampIdx stamp { stamps active memo endDate user { id email } } }\n  }\n": typeof types.UpdateStampDocument,
    "\n  mutation AddStamp($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps remaining } } }\n": typeof types.AddStampDocument,
    "\n  mutation RemoveStamp($input: RemoveStampInput!) { removeStamp(input: $input) { stampIdx stamp { stamps } } }\n": typeof types.RemoveStampDocument,
    "\n  mutation Adjust($input: AdjustStampCountInput!) {\n    adjustStampCount(input: $input) { stampIdx previousStamps newStamps stamp { stamps } }\n  }\n": typeof types.AdjustDocument,
    "\n  mutation Redeem($input: RedeemStampInput!) {\n    redeemStamp(input: $input) { stampIdx redeemedAt lastKnownStamp { stamps maxStamps complete } }\n  }\n": typeof types.RedeemDocument,
    "\n  mutation ResetPin($input: ResetStampPinInput!) { resetStampPin(input: $input) { stampIdx stamp { stampIdx } } }\n": typeof types.ResetPinDocument,
    "\n  mutation DeleteStamp($input: DeleteStampInput!) { deleteStamp(input: $input) { stampIdx deleted } }\n": typeof types.DeleteStampDocument,
    "\n  mutation Reissue($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) {\n      redeemedStampIdx\n      newStampIdx\n      newStamp { stampIdx cardIdx stamps startDate endDate memo user { id name email phone } }\n    }\n  }\n": typeof types.ReissueDocument,
    "\n  query FullStamp($stampIdx: Int!) {\n    stamp(stampIdx: $stampIdx) {\n      stampIdx\n      cardIdx\n      cardName\n      cardTitle\n      stamps\n      maxStamps\n      remaining\n      complete\n      active\n      startDate\n      endDate\n      domain\n      stampUrl\n      url\n      imageUrl\n      memo\n      onsiteApproval\n      issuedAt\n      user { id name phone email etc1 etc2 }\n    }\n  }\n": typeof types.FullStampDocument,
    "\n  query ManyStamps($stampIdxs: [Int!]!) {\n    stamps(stampIdxs: $stampIdxs) { stampIdx stamps user { id } }\n  }\n": typeof types.ManyStampsDocument,
    "\n  query Validate($stampIdx: Int!) {\n    validateStamp(stampIdx: $stampIdx) { stampIdx valid reason stamp { stampIdx stamps } }\n  }\n": typeof types.ValidateDocument,
    "\n  mutation CreateForValidation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n": typeof types.CreateForValidationDocument,
    "\n  mutation UpdateForValidation($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n": typeof types.UpdateForValidationDocument,
    "\n  mutation AdjustForValidation($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { stampIdx } }\n": typeof types.AdjustForValidationDocument,
    "\n  mutation ReissueForValidation($input: RedeemAndReissueInput!) { redeemAndReissue(input: $input) { newStampIdx } }\n": typeof types.ReissueForValidationDocument,
    "\n  query StampById($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx } }\n": typeof types.StampByIdDocument,
    "\n  mutation PlusOne($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n": typeof types.PlusOneDocument,
    "\n  mutation AddOnce($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n": typeof types.AddOnceDocument,
    "\n  query History($stampIdx: Int!, $first: Int, $after: String) {\n    stampHistory(stampIdx: $stampIdx, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id at operation caller requestId outcome errorCode idempotencyKey input\n          before { stamps } after { stamps }\n          upstreamCalls { endpoint status code attempts error }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n      lastKnownStamp { stampIdx stamps complete }\n    }\n  }\n": typeof types.HistoryDocument,
    "\n  mutation HistoryAdjust($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { newStamps } }\n": typeof types.HistoryAdjustDocument,
    "\n  mutation HistoryAdd($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n": typeof types.HistoryAddDocument,
    "\n  mutation HistoryRedeem($input: RedeemStampInput!) { redeemStamp(input: $input) { stampIdx } }\n": typeof types.HistoryRedeemDocument,
    "\n  mutation AddWithKey($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps } } }\n": typeof types.AddWithKeyDocument,
    "\n  mutation AdjustWithKey($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n": typeof types.AdjustWithKeyDocument,
    "\n  mutation CreateWithKey($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n": typeof types.CreateWithKeyDocument,
    "\n  mutation TwoAdds($a: AddStampInput!, $b: AddStampInput!) { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) { stampIdx } }\n": typeof types.TwoAddsDocument,
    "\n  mutation ReissueSafely($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) { redeemedStampIdx newStampIdx newStamp { stampIdx user { id } } }\n  }\n": typeof types.ReissueSafelyDocument,
    "\n  query Parked { parkedReissues { id oldStampIdx step parkedStep parkedReason newStampIdx oldStamp { stampIdx } } }\n": typeof types.ParkedDocument,
    "\n  mutation ResolveParked($input: ResolveParkedReissueInput!) { resolveParkedReissue(input: $input) { redeemedStampIdx newStampIdx } }\n": typeof types.ResolveParkedDocument,
};
const documents: Documents = {
    "\n  query ReadOne($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx stamps } }\n": types.ReadOneDocument,
    "\n  mutation AddOne($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n": types.AddOneDocument,
    "\n  mutation SetCount($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n": types.SetCountDocument,
    "\n  mutation IssueOne($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n": types.IssueOneDocument,
    "\n  mutation CreateStamp($input: CreateStampInput!) {\n    createStamp(input: $input) { stampIdx stamp { stampIdx stamps active startDate endDate memo user { id name email } } }\n  }\n": types.CreateStampDocument,
    "\n  mutation UpdateStamp($input: UpdateStampInput!) {\n    updateStamp(input: $input) { stampIdx stamp { stamps active memo endDate user { id email } } }\n  }\n": types.UpdateStampDocument,
    "\n  mutation AddStamp($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps remaining } } }\n": types.AddStampDocument,
    "\n  mutation RemoveStamp($input: RemoveStampInput!) { removeStamp(input: $input) { stampIdx stamp { stamps } } }\n": types.RemoveStampDocument,
    "\n  mutation Adjust($input: AdjustStampCountInput!) {\n    adjustStampCount(input: $input) { stampIdx previousStamps newStamps stamp { stamps } }\n  }\n": types.AdjustDocument,
    "\n  mutation Redeem($input: RedeemStampInput!) {\n    redeemStamp(input: $input) { stampIdx redeemedAt lastKnownStamp { stamps maxStamps complete } }\n  }\n": types.RedeemDocument,
    "\n  mutation ResetPin($input: ResetStampPinInput!) { resetStampPin(input: $input) { stampIdx stamp { stampIdx } } }\n": types.ResetPinDocument,
    "\n  mutation DeleteStamp($input: DeleteStampInput!) { deleteStamp(input: $input) { stampIdx deleted } }\n": types.DeleteStampDocument,
    "\n  mutation Reissue($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) {\n      redeemedStampIdx\n      newStampIdx\n      newStamp { stampIdx cardIdx stamps startDate endDate memo user { id name email phone } }\n    }\n  }\n": types.ReissueDocument,
    "\n  query FullStamp($stampIdx: Int!) {\n    stamp(stampIdx: $stampIdx) {\n      stampIdx\n      cardIdx\n      cardName\n      cardTitle\n      stamps\n      maxStamps\n      remaining\n      complete\n      active\n      startDate\n      endDate\n      domain\n      stampUrl\n      url\n      imageUrl\n      memo\n      onsiteApproval\n      issuedAt\n      user { id name phone email etc1 etc2 }\n    }\n  }\n": types.FullStampDocument,
    "\n  query ManyStamps($stampIdxs: [Int!]!) {\n    stamps(stampIdxs: $stampIdxs) { stampIdx stamps user { id } }\n  }\n": types.ManyStampsDocument,
    "\n  query Validate($stampIdx: Int!) {\n    validateStamp(stampIdx: $stampIdx) { stampIdx valid reason stamp { stampIdx stamps } }\n  }\n": types.ValidateDocument,
    "\n  mutation CreateForValidation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n": types.CreateForValidationDocument,
    "\n  mutation UpdateForValidation($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n": types.UpdateForValidationDocument,
    "\n  mutation AdjustForValidation($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { stampIdx } }\n": types.AdjustForValidationDocument,
    "\n  mutation ReissueForValidation($input: RedeemAndReissueInput!) { redeemAndReissue(input: $input) { newStampIdx } }\n": types.ReissueForValidationDocument,
    "\n  query StampById($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx } }\n": types.StampByIdDocument,
    "\n  mutation PlusOne($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n": types.PlusOneDocument,
    "\n  mutation AddOnce($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n": types.AddOnceDocument,
    "\n  query History($stampIdx: Int!, $first: Int, $after: String) {\n    stampHistory(stampIdx: $stampIdx, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id at operation caller requestId outcome errorCode idempotencyKey input\n          before { stamps } after { stamps }\n          upstreamCalls { endpoint status code attempts error }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n      lastKnownStamp { stampIdx stamps complete }\n    }\n  }\n": types.HistoryDocument,
    "\n  mutation HistoryAdjust($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { newStamps } }\n": types.HistoryAdjustDocument,
    "\n  mutation HistoryAdd($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n": types.HistoryAddDocument,
    "\n  mutation HistoryRedeem($input: RedeemStampInput!) { redeemStamp(input: $input) { stampIdx } }\n": types.HistoryRedeemDocument,
    "\n  mutation AddWithKey($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps } } }\n": types.AddWithKeyDocument,
    "\n  mutation AdjustWithKey($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n": types.AdjustWithKeyDocument,
    "\n  mutation CreateWithKey($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n": types.CreateWithKeyDocument,
    "\n  mutation TwoAdds($a: AddStampInput!, $b: AddStampInput!) { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) { stampIdx } }\n": types.TwoAddsDocument,
    "\n  mutation ReissueSafely($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) { redeemedStampIdx newStampIdx newStamp { stampIdx user { id } } }\n  }\n": types.ReissueSafelyDocument,
    "\n  query Parked { parkedReissues { id oldStampIdx step parkedStep parkedReason newStampIdx oldStamp { stampIdx } } }\n": types.ParkedDocument,
    "\n  mutation ResolveParked($input: ResolveParkedReissueInput!) { resolveParkedReissue(input: $input) { redeemedStampIdx newStampIdx } }\n": types.ResolveParkedDocument,
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
export function graphql(source: "\n  query ReadOne($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx stamps } }\n"): (typeof documents)["\n  query ReadOne($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx stamps } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddOne($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation AddOne($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetCount($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation SetCount($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation IssueOne($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation IssueOne($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateStamp($input: CreateStampInput!) {\n    createStamp(input: $input) { stampIdx stamp { stampIdx stamps active startDate endDate memo user { id name email } } }\n  }\n"): (typeof documents)["\n  mutation CreateStamp($input: CreateStampInput!) {\n    createStamp(input: $input) { stampIdx stamp { stampIdx stamps active startDate endDate memo user { id name email } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateStamp($input: UpdateStampInput!) {\n    updateStamp(input: $input) { stampIdx stamp { stamps active memo endDate user { id email } } }\n  }\n"): (typeof documents)["\n  mutation UpdateStamp($input: UpdateStampInput!) {\n    updateStamp(input: $input) { stampIdx stamp { stamps active memo endDate user { id email } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddStamp($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps remaining } } }\n"): (typeof documents)["\n  mutation AddStamp($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps remaining } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveStamp($input: RemoveStampInput!) { removeStamp(input: $input) { stampIdx stamp { stamps } } }\n"): (typeof documents)["\n  mutation RemoveStamp($input: RemoveStampInput!) { removeStamp(input: $input) { stampIdx stamp { stamps } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Adjust($input: AdjustStampCountInput!) {\n    adjustStampCount(input: $input) { stampIdx previousStamps newStamps stamp { stamps } }\n  }\n"): (typeof documents)["\n  mutation Adjust($input: AdjustStampCountInput!) {\n    adjustStampCount(input: $input) { stampIdx previousStamps newStamps stamp { stamps } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Redeem($input: RedeemStampInput!) {\n    redeemStamp(input: $input) { stampIdx redeemedAt lastKnownStamp { stamps maxStamps complete } }\n  }\n"): (typeof documents)["\n  mutation Redeem($input: RedeemStampInput!) {\n    redeemStamp(input: $input) { stampIdx redeemedAt lastKnownStamp { stamps maxStamps complete } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetPin($input: ResetStampPinInput!) { resetStampPin(input: $input) { stampIdx stamp { stampIdx } } }\n"): (typeof documents)["\n  mutation ResetPin($input: ResetStampPinInput!) { resetStampPin(input: $input) { stampIdx stamp { stampIdx } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteStamp($input: DeleteStampInput!) { deleteStamp(input: $input) { stampIdx deleted } }\n"): (typeof documents)["\n  mutation DeleteStamp($input: DeleteStampInput!) { deleteStamp(input: $input) { stampIdx deleted } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Reissue($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) {\n      redeemedStampIdx\n      newStampIdx\n      newStamp { stampIdx cardIdx stamps startDate endDate memo user { id name email phone } }\n    }\n  }\n"): (typeof documents)["\n  mutation Reissue($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) {\n      redeemedStampIdx\n      newStampIdx\n      newStamp { stampIdx cardIdx stamps startDate endDate memo user { id name email phone } }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FullStamp($stampIdx: Int!) {\n    stamp(stampIdx: $stampIdx) {\n      stampIdx\n      cardIdx\n      cardName\n      cardTitle\n      stamps\n      maxStamps\n      remaining\n      complete\n      active\n      startDate\n      endDate\n      domain\n      stampUrl\n      url\n      imageUrl\n      memo\n      onsiteApproval\n      issuedAt\n      user { id name phone email etc1 etc2 }\n    }\n  }\n"): (typeof documents)["\n  query FullStamp($stampIdx: Int!) {\n    stamp(stampIdx: $stampIdx) {\n      stampIdx\n      cardIdx\n      cardName\n      cardTitle\n      stamps\n      maxStamps\n      remaining\n      complete\n      active\n      startDate\n      endDate\n      domain\n      stampUrl\n      url\n      imageUrl\n      memo\n      onsiteApproval\n      issuedAt\n      user { id name phone email etc1 etc2 }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ManyStamps($stampIdxs: [Int!]!) {\n    stamps(stampIdxs: $stampIdxs) { stampIdx stamps user { id } }\n  }\n"): (typeof documents)["\n  query ManyStamps($stampIdxs: [Int!]!) {\n    stamps(stampIdxs: $stampIdxs) { stampIdx stamps user { id } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Validate($stampIdx: Int!) {\n    validateStamp(stampIdx: $stampIdx) { stampIdx valid reason stamp { stampIdx stamps } }\n  }\n"): (typeof documents)["\n  query Validate($stampIdx: Int!) {\n    validateStamp(stampIdx: $stampIdx) { stampIdx valid reason stamp { stampIdx stamps } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateForValidation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation CreateForValidation($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateForValidation($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation UpdateForValidation($input: UpdateStampInput!) { updateStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustForValidation($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation AdjustForValidation($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReissueForValidation($input: RedeemAndReissueInput!) { redeemAndReissue(input: $input) { newStampIdx } }\n"): (typeof documents)["\n  mutation ReissueForValidation($input: RedeemAndReissueInput!) { redeemAndReissue(input: $input) { newStampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StampById($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx } }\n"): (typeof documents)["\n  query StampById($stampIdx: Int!) { stamp(stampIdx: $stampIdx) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PlusOne($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n"): (typeof documents)["\n  mutation PlusOne($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddOnce($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation AddOnce($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query History($stampIdx: Int!, $first: Int, $after: String) {\n    stampHistory(stampIdx: $stampIdx, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id at operation caller requestId outcome errorCode idempotencyKey input\n          before { stamps } after { stamps }\n          upstreamCalls { endpoint status code attempts error }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n      lastKnownStamp { stampIdx stamps complete }\n    }\n  }\n"): (typeof documents)["\n  query History($stampIdx: Int!, $first: Int, $after: String) {\n    stampHistory(stampIdx: $stampIdx, first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          id at operation caller requestId outcome errorCode idempotencyKey input\n          before { stamps } after { stamps }\n          upstreamCalls { endpoint status code attempts error }\n        }\n      }\n      pageInfo { hasNextPage endCursor }\n      lastKnownStamp { stampIdx stamps complete }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HistoryAdjust($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { newStamps } }\n"): (typeof documents)["\n  mutation HistoryAdjust($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { newStamps } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HistoryAdd($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation HistoryAdd($input: AddStampInput!) { addStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation HistoryRedeem($input: RedeemStampInput!) { redeemStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation HistoryRedeem($input: RedeemStampInput!) { redeemStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddWithKey($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps } } }\n"): (typeof documents)["\n  mutation AddWithKey($input: AddStampInput!) { addStamp(input: $input) { stampIdx stamp { stamps } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AdjustWithKey($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n"): (typeof documents)["\n  mutation AdjustWithKey($input: AdjustStampCountInput!) { adjustStampCount(input: $input) { previousStamps newStamps } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWithKey($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n"): (typeof documents)["\n  mutation CreateWithKey($input: CreateStampInput!) { createStamp(input: $input) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TwoAdds($a: AddStampInput!, $b: AddStampInput!) { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) { stampIdx } }\n"): (typeof documents)["\n  mutation TwoAdds($a: AddStampInput!, $b: AddStampInput!) { a: addStamp(input: $a) { stampIdx } b: addStamp(input: $b) { stampIdx } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReissueSafely($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) { redeemedStampIdx newStampIdx newStamp { stampIdx user { id } } }\n  }\n"): (typeof documents)["\n  mutation ReissueSafely($input: RedeemAndReissueInput!) {\n    redeemAndReissue(input: $input) { redeemedStampIdx newStampIdx newStamp { stampIdx user { id } } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Parked { parkedReissues { id oldStampIdx step parkedStep parkedReason newStampIdx oldStamp { stampIdx } } }\n"): (typeof documents)["\n  query Parked { parkedReissues { id oldStampIdx step parkedStep parkedReason newStampIdx oldStamp { stampIdx } } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResolveParked($input: ResolveParkedReissueInput!) { resolveParkedReissue(input: $input) { redeemedStampIdx newStampIdx } }\n"): (typeof documents)["\n  mutation ResolveParked($input: ResolveParkedReissueInput!) { resolveParkedReissue(input: $input) { redeemedStampIdx newStampIdx } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;