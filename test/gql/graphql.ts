/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** The stamp to add one stamp to. */
export type AddStampInput = {
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The stamp. */
  stampIdx: number;
};

/** A relative change of the collected count: bonus stamps or a correction. */
export type AdjustStampCountInput = {
  /** How many stamps to add (positive) or take off (negative); not 0, at most 1000 either way. The result must stay within 0 and the card maximum. */
  delta: number;
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The stamp. */
  stampIdx: number;
};

/** A new stamp for a customer on an existing stamp card. */
export type CreateStampInput = {
  /** False issues the stamp deactivated. Default true. */
  active?: boolean | null | undefined;
  /** The stamp card to issue on. */
  cardIdx: number;
  /** Domain of the stamp page (custom domains need the Premium plan). Default https://vvd.bz. */
  domain?: string | null | undefined;
  /** Last day the stamp can be used: on or after startDate, at most 5 years from today. */
  endDate: string;
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** Internal note (at most 500 characters). */
  memo?: string | null | undefined;
  /** First day the stamp can be used. */
  startDate: string;
  /** Who the stamp is for. Without an id the stamp service generates one. */
  user?: StampUserInput | null | undefined;
};

/** The stamp to delete for good. */
export type DeleteStampInput = {
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The stamp. */
  stampIdx: number;
};

/** What became of a mutation attempt. */
export type HistoryOutcome =
  /** The change was made. */
  | 'APPLIED'
  /** Nothing changed (refused, invalid, or failed before sending). */
  | 'NOT_APPLIED'
  /** A retry with the same idempotency key; the first answer was replayed, nothing sent. */
  | 'REPLAYED'
  /** The stamp API may or may not have made the change. */
  | 'UNKNOWN';

/** Redeem a full stamp and issue the next one on the same card for the same customer. */
export type RedeemAndReissueInput = {
  /** Last day of the new stamp. Default: as long a window as the old stamp's, capped at 5 years from today. */
  endDate?: string | null | undefined;
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The staff password, required when the card has on-site approval (Stamp.onsiteApproval). Never logged or stored. */
  onsitePassword?: string | null | undefined;
  /** The full stamp to redeem. */
  stampIdx: number;
  /** First day of the new stamp. Default: today (Asia/Seoul). */
  startDate?: string | null | undefined;
};

/** The full stamp whose reward the customer is receiving. */
export type RedeemStampInput = {
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The staff password, required when the card has on-site approval (Stamp.onsiteApproval). Never logged or stored. */
  onsitePassword?: string | null | undefined;
  /** The stamp. */
  stampIdx: number;
};

/** The stamp to take one stamp off. */
export type RemoveStampInput = {
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The stamp. */
  stampIdx: number;
};

/** The stamp whose customer PIN to reset. */
export type ResetStampPinInput = {
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** The stamp. */
  stampIdx: number;
};

/** An operator's decision on a parked redeem-and-reissue: give exactly one of newStampIdx or issueNew. */
export type ResolveParkedReissueInput = {
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** True when no new stamp exists and the old one is redeemed: issue the new stamp now. */
  issueNew?: boolean | null | undefined;
  /** The new stamp found in the dashboard: the operation finishes with it, nothing is sent. */
  newStampIdx?: number | null | undefined;
  /** The parked operation (parkedReissues). */
  operationId: string | number;
};

/** The customer a stamp belongs to. Internal fields: the customer never sees them. */
export type StampUserInput = {
  /** Email address (at most 254 characters). */
  email?: string | null | undefined;
  /** Free internal field (at most 255 characters). */
  etc1?: string | null | undefined;
  /** Free internal field (at most 255 characters). */
  etc2?: string | null | undefined;
  /** The customer's id, typically your site's login id (at most 100 characters). Generated by the stamp service when left out on create. */
  id?: string | null | undefined;
  /** Name (at most 100 characters). */
  name?: string | null | undefined;
  /** Phone number (at most 40 characters: digits, spaces, + - ( )). */
  phone?: string | null | undefined;
};

/** Changes to a stamp. Only the fields given are sent; the others stay as they are. */
export type UpdateStampInput = {
  /** Deactivate (false) or reactivate (true) the stamp. */
  active?: boolean | null | undefined;
  /** Move the stamp to another card (its count must fit that card). */
  cardIdx?: number | null | undefined;
  /** Domain of the stamp page; empty for the default. */
  domain?: string | null | undefined;
  /** Last day the stamp can be used, at most 5 years from today. */
  endDate?: string | null | undefined;
  /** Makes a retry safe: the same caller sending the same key with the same input within 24 hours gets the first result replayed and nothing is sent to the stamp API again (at most 200 characters). Also accepted as the Idempotency-Key header. */
  idempotencyKey?: string | null | undefined;
  /** Internal note (at most 500 characters). */
  memo?: string | null | undefined;
  /** The stamp to change. */
  stampIdx: number;
  /** Set the collected count to this total (0 to the card maximum). For relative changes use adjustStampCount. */
  stamps?: number | null | undefined;
  /** First day the stamp can be used. */
  startDate?: string | null | undefined;
  /** Customer fields to change; those not given stay. */
  user?: StampUserInput | null | undefined;
};

export type ReadOneQueryVariables = Exact<{
  stampIdx: number;
}>;


export type ReadOneQuery = { stamp: { stampIdx: number, stamps: number } | null };

export type AddOneMutationVariables = Exact<{
  input: AddStampInput;
}>;


export type AddOneMutation = { addStamp: { stampIdx: number } };

export type SetCountMutationVariables = Exact<{
  input: UpdateStampInput;
}>;


export type SetCountMutation = { updateStamp: { stampIdx: number } };

export type IssueOneMutationVariables = Exact<{
  input: CreateStampInput;
}>;


export type IssueOneMutation = { createStamp: { stampIdx: number } };

export type CreateStampMutationVariables = Exact<{
  input: CreateStampInput;
}>;


export type CreateStampMutation = { createStamp: { stampIdx: number, stamp: { stampIdx: number, stamps: number, active: boolean, startDate: string, endDate: string, memo: string | null, user: { id: string, name: string | null, email: string | null } } | null } };

export type UpdateStampMutationVariables = Exact<{
  input: UpdateStampInput;
}>;


export type UpdateStampMutation = { updateStamp: { stampIdx: number, stamp: { stamps: number, active: boolean, memo: string | null, endDate: string, user: { id: string, email: string | null } } | null } };

export type AddStampMutationVariables = Exact<{
  input: AddStampInput;
}>;


export type AddStampMutation = { addStamp: { stampIdx: number, stamp: { stamps: number, remaining: number } | null } };

export type RemoveStampMutationVariables = Exact<{
  input: RemoveStampInput;
}>;


export type RemoveStampMutation = { removeStamp: { stampIdx: number, stamp: { stamps: number } | null } };

export type AdjustMutationVariables = Exact<{
  input: AdjustStampCountInput;
}>;


export type AdjustMutation = { adjustStampCount: { stampIdx: number, previousStamps: number, newStamps: number, stamp: { stamps: number } | null } };

export type RedeemMutationVariables = Exact<{
  input: RedeemStampInput;
}>;


export type RedeemMutation = { redeemStamp: { stampIdx: number, redeemedAt: string, lastKnownStamp: { stamps: number, maxStamps: number, complete: boolean } } };

export type ResetPinMutationVariables = Exact<{
  input: ResetStampPinInput;
}>;


export type ResetPinMutation = { resetStampPin: { stampIdx: number, stamp: { stampIdx: number } | null } };

export type DeleteStampMutationVariables = Exact<{
  input: DeleteStampInput;
}>;


export type DeleteStampMutation = { deleteStamp: { stampIdx: number, deleted: boolean } };

export type ReissueMutationVariables = Exact<{
  input: RedeemAndReissueInput;
}>;


export type ReissueMutation = { redeemAndReissue: { redeemedStampIdx: number, newStampIdx: number, newStamp: { stampIdx: number, cardIdx: number, stamps: number, startDate: string, endDate: string, memo: string | null, user: { id: string, name: string | null, email: string | null, phone: string | null } } | null } };

export type FullStampQueryVariables = Exact<{
  stampIdx: number;
}>;


export type FullStampQuery = { stamp: { stampIdx: number, cardIdx: number, cardName: string | null, cardTitle: string | null, stamps: number, maxStamps: number, remaining: number, complete: boolean, active: boolean, startDate: string, endDate: string, domain: string | null, stampUrl: string | null, url: string | null, imageUrl: string | null, memo: string | null, onsiteApproval: boolean, issuedAt: string | null, user: { id: string, name: string | null, phone: string | null, email: string | null, etc1: string | null, etc2: string | null } } | null };

export type ManyStampsQueryVariables = Exact<{
  stampIdxs: Array<number> | number;
}>;


export type ManyStampsQuery = { stamps: Array<{ stampIdx: number, stamps: number, user: { id: string } } | null> };

export type ValidateQueryVariables = Exact<{
  stampIdx: number;
}>;


export type ValidateQuery = { validateStamp: { stampIdx: number, valid: boolean, reason: string | null, stamp: { stampIdx: number, stamps: number } | null } };

export type CreateForValidationMutationVariables = Exact<{
  input: CreateStampInput;
}>;


export type CreateForValidationMutation = { createStamp: { stampIdx: number } };

export type UpdateForValidationMutationVariables = Exact<{
  input: UpdateStampInput;
}>;


export type UpdateForValidationMutation = { updateStamp: { stampIdx: number } };

export type AdjustForValidationMutationVariables = Exact<{
  input: AdjustStampCountInput;
}>;


export type AdjustForValidationMutation = { adjustStampCount: { stampIdx: number } };

export type ReissueForValidationMutationVariables = Exact<{
  input: RedeemAndReissueInput;
}>;


export type ReissueForValidationMutation = { redeemAndReissue: { newStampIdx: number } };

export type StampByIdQueryVariables = Exact<{
  stampIdx: number;
}>;


export type StampByIdQuery = { stamp: { stampIdx: number } | null };

export type PlusOneMutationVariables = Exact<{
  input: AdjustStampCountInput;
}>;


export type PlusOneMutation = { adjustStampCount: { previousStamps: number, newStamps: number } };

export type AddOnceMutationVariables = Exact<{
  input: AddStampInput;
}>;


export type AddOnceMutation = { addStamp: { stampIdx: number } };

export type HistoryQueryVariables = Exact<{
  stampIdx: number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type HistoryQuery = { stampHistory: { edges: Array<{ cursor: string, node: { id: string, at: string, operation: string, caller: string, requestId: string | null, outcome: HistoryOutcome, errorCode: string | null, idempotencyKey: string | null, input: string, before: { stamps: number } | null, after: { stamps: number } | null, upstreamCalls: Array<{ endpoint: string, status: number | null, code: number | null, attempts: number, error: string | null }> } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null }, lastKnownStamp: { stampIdx: number, stamps: number, complete: boolean } | null } };

export type HistoryAdjustMutationVariables = Exact<{
  input: AdjustStampCountInput;
}>;


export type HistoryAdjustMutation = { adjustStampCount: { newStamps: number } };

export type HistoryAddMutationVariables = Exact<{
  input: AddStampInput;
}>;


export type HistoryAddMutation = { addStamp: { stampIdx: number } };

export type HistoryRedeemMutationVariables = Exact<{
  input: RedeemStampInput;
}>;


export type HistoryRedeemMutation = { redeemStamp: { stampIdx: number } };

export type AddWithKeyMutationVariables = Exact<{
  input: AddStampInput;
}>;


export type AddWithKeyMutation = { addStamp: { stampIdx: number, stamp: { stamps: number } | null } };

export type AdjustWithKeyMutationVariables = Exact<{
  input: AdjustStampCountInput;
}>;


export type AdjustWithKeyMutation = { adjustStampCount: { previousStamps: number, newStamps: number } };

export type CreateWithKeyMutationVariables = Exact<{
  input: CreateStampInput;
}>;


export type CreateWithKeyMutation = { createStamp: { stampIdx: number } };

export type TwoAddsMutationVariables = Exact<{
  a: AddStampInput;
  b: AddStampInput;
}>;


export type TwoAddsMutation = { a: { stampIdx: number }, b: { stampIdx: number } };

export type ReissueSafelyMutationVariables = Exact<{
  input: RedeemAndReissueInput;
}>;


export type ReissueSafelyMutation = { redeemAndReissue: { redeemedStampIdx: number, newStampIdx: number, newStamp: { stampIdx: number, user: { id: string } } | null } };

export type ParkedQueryVariables = Exact<{ [key: string]: never; }>;


export type ParkedQuery = { parkedReissues: Array<{ id: string, oldStampIdx: number, step: string, parkedStep: string | null, parkedReason: string | null, newStampIdx: number | null, oldStamp: { stampIdx: number } | null }> };

export type ResolveParkedMutationVariables = Exact<{
  input: ResolveParkedReissueInput;
}>;


export type ResolveParkedMutation = { resolveParkedReissue: { redeemedStampIdx: number, newStampIdx: number } };


export const ReadOneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ReadOne"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}}]}}]} as unknown as DocumentNode<ReadOneQuery, ReadOneQueryVariables>;
export const AddOneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddOne"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<AddOneMutation, AddOneMutationVariables>;
export const SetCountDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SetCount"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<SetCountMutation, SetCountMutationVariables>;
export const IssueOneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"IssueOne"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<IssueOneMutation, IssueOneMutationVariables>;
export const CreateStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]} as unknown as DocumentNode<CreateStampMutation, CreateStampMutationVariables>;
export const UpdateStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}}]}}]}}]}}]}}]} as unknown as DocumentNode<UpdateStampMutation, UpdateStampMutationVariables>;
export const AddStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}}]}}]}}]}}]} as unknown as DocumentNode<AddStampMutation, AddStampMutationVariables>;
export const RemoveStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RemoveStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RemoveStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"removeStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}}]}}]}}]} as unknown as DocumentNode<RemoveStampMutation, RemoveStampMutationVariables>;
export const AdjustDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Adjust"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustStampCountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustStampCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"previousStamps"}},{"kind":"Field","name":{"kind":"Name","value":"newStamps"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}}]}}]}}]} as unknown as DocumentNode<AdjustMutation, AdjustMutationVariables>;
export const RedeemDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Redeem"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"redeemedAt"}},{"kind":"Field","name":{"kind":"Name","value":"lastKnownStamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}}]}}]}}]}}]} as unknown as DocumentNode<RedeemMutation, RedeemMutationVariables>;
export const ResetPinDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResetPin"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResetStampPinInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resetStampPin"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]}}]} as unknown as DocumentNode<ResetPinMutation, ResetPinMutationVariables>;
export const DeleteStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"deleted"}}]}}]}}]} as unknown as DocumentNode<DeleteStampMutation, DeleteStampMutationVariables>;
export const ReissueDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"Reissue"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemAndReissueInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemAndReissue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemedStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"newStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"newStamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ReissueMutation, ReissueMutationVariables>;
export const FullStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FullStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"cardTitle"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"stampUrl"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"imageUrl"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"onsiteApproval"}},{"kind":"Field","name":{"kind":"Name","value":"issuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"etc1"}},{"kind":"Field","name":{"kind":"Name","value":"etc2"}}]}}]}}]}}]} as unknown as DocumentNode<FullStampQuery, FullStampQueryVariables>;
export const ManyStampsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ManyStamps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdxs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdxs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdxs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<ManyStampsQuery, ManyStampsQueryVariables>;
export const ValidateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Validate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"validateStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}}]}}]}}]} as unknown as DocumentNode<ValidateQuery, ValidateQueryVariables>;
export const CreateForValidationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateForValidation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<CreateForValidationMutation, CreateForValidationMutationVariables>;
export const UpdateForValidationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateForValidation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<UpdateForValidationMutation, UpdateForValidationMutationVariables>;
export const AdjustForValidationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdjustForValidation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustStampCountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustStampCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<AdjustForValidationMutation, AdjustForValidationMutationVariables>;
export const ReissueForValidationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReissueForValidation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemAndReissueInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemAndReissue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"newStampIdx"}}]}}]}}]} as unknown as DocumentNode<ReissueForValidationMutation, ReissueForValidationMutationVariables>;
export const StampByIdDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StampById"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<StampByIdQuery, StampByIdQueryVariables>;
export const PlusOneDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"PlusOne"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustStampCountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustStampCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previousStamps"}},{"kind":"Field","name":{"kind":"Name","value":"newStamps"}}]}}]}}]} as unknown as DocumentNode<PlusOneMutation, PlusOneMutationVariables>;
export const AddOnceDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddOnce"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<AddOnceMutation, AddOnceMutationVariables>;
export const HistoryDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"History"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampHistory"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"edges"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cursor"}},{"kind":"Field","name":{"kind":"Name","value":"node"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"operation"}},{"kind":"Field","name":{"kind":"Name","value":"caller"}},{"kind":"Field","name":{"kind":"Name","value":"requestId"}},{"kind":"Field","name":{"kind":"Name","value":"outcome"}},{"kind":"Field","name":{"kind":"Name","value":"errorCode"}},{"kind":"Field","name":{"kind":"Name","value":"idempotencyKey"}},{"kind":"Field","name":{"kind":"Name","value":"input"}},{"kind":"Field","name":{"kind":"Name","value":"before"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}},{"kind":"Field","name":{"kind":"Name","value":"after"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}},{"kind":"Field","name":{"kind":"Name","value":"upstreamCalls"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"endpoint"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"attempts"}},{"kind":"Field","name":{"kind":"Name","value":"error"}}]}}]}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"lastKnownStamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}}]}}]}}]}}]} as unknown as DocumentNode<HistoryQuery, HistoryQueryVariables>;
export const HistoryAdjustDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"HistoryAdjust"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustStampCountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustStampCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"newStamps"}}]}}]}}]} as unknown as DocumentNode<HistoryAdjustMutation, HistoryAdjustMutationVariables>;
export const HistoryAddDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"HistoryAdd"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<HistoryAddMutation, HistoryAddMutationVariables>;
export const HistoryRedeemDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"HistoryRedeem"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<HistoryRedeemMutation, HistoryRedeemMutationVariables>;
export const AddWithKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddWithKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}}]}}]}}]} as unknown as DocumentNode<AddWithKeyMutation, AddWithKeyMutationVariables>;
export const AdjustWithKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AdjustWithKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AdjustStampCountInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"adjustStampCount"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previousStamps"}},{"kind":"Field","name":{"kind":"Name","value":"newStamps"}}]}}]}}]} as unknown as DocumentNode<AdjustWithKeyMutation, AdjustWithKeyMutationVariables>;
export const CreateWithKeyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CreateWithKey"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CreateStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"createStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<CreateWithKeyMutation, CreateWithKeyMutationVariables>;
export const TwoAddsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"TwoAdds"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"a"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"b"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"AddStampInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","alias":{"kind":"Name","value":"a"},"name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"a"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}},{"kind":"Field","alias":{"kind":"Name","value":"b"},"name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"b"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<TwoAddsMutation, TwoAddsMutationVariables>;
export const ReissueSafelyDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReissueSafely"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RedeemAndReissueInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemAndReissue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemedStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"newStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"newStamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]}}]} as unknown as DocumentNode<ReissueSafelyMutation, ReissueSafelyMutationVariables>;
export const ParkedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Parked"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"parkedReissues"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"oldStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"step"}},{"kind":"Field","name":{"kind":"Name","value":"parkedStep"}},{"kind":"Field","name":{"kind":"Name","value":"parkedReason"}},{"kind":"Field","name":{"kind":"Name","value":"newStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"oldStamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]}}]} as unknown as DocumentNode<ParkedQuery, ParkedQueryVariables>;
export const ResolveParkedDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ResolveParked"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ResolveParkedReissueInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"resolveParkedReissue"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemedStampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"newStampIdx"}}]}}]}}]} as unknown as DocumentNode<ResolveParkedMutation, ResolveParkedMutationVariables>;