/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Where a change was heard. */
export type ChangeSource =
  /** A mutation through any instance of this gateway. */
  | 'GATEWAY'
  /** The stamp service's webhook: a change made outside the gateway (the dashboard, another integration) or by the stamp service itself. */
  | 'WEBHOOK';

/** What happened to a stamp. */
export type StampAction =
  | 'ADDED'
  | 'ADJUSTED'
  | 'CREATED'
  | 'DELETED'
  | 'PIN_RESET'
  | 'REDEEMED'
  | 'REMOVED'
  | 'UPDATED';

export type AddStampMutationVariables = Exact<{
  stampIdx: number;
  idempotencyKey?: string | null | undefined;
}>;


export type AddStampMutation = { addStamp: { stampIdx: number, stamp: { stampIdx: number, stamps: number, maxStamps: number, complete: boolean } | null } };

export type MyStampsQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyStampsQuery = { myStamps: { stamps: Array<{ stampIdx: number, cardName: string | null, cardTitle: string | null, stamps: number, maxStamps: number, remaining: number, complete: boolean, endDate: string, asOf: string }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type PunchCardFragment = { stampIdx: number, cardName: string | null, cardTitle: string | null, stamps: number, maxStamps: number, remaining: number, complete: boolean, endDate: string, asOf: string };

export type RedeemStampMutationVariables = Exact<{
  stampIdx: number;
  onsitePassword?: string | null | undefined;
  idempotencyKey?: string | null | undefined;
}>;


export type RedeemStampMutation = { redeemStamp: { stampIdx: number } };

export type CashierStampQueryVariables = Exact<{
  stampIdx: number;
}>;


export type CashierStampQuery = { stamp: { stampIdx: number, cardName: string | null, stamps: number, maxStamps: number, complete: boolean, onsiteApproval: boolean, user: { id: string, name: string | null } } | null };

export type PunchCardChangedSubscriptionVariables = Exact<{
  stampIdxs: Array<number> | number;
}>;


export type PunchCardChangedSubscription = { stampsChanged: { stampIdx: number, action: StampAction, source: ChangeSource, at: string, stamp: { stampIdx: number, cardName: string | null, cardTitle: string | null, stamps: number, maxStamps: number, remaining: number, complete: boolean, endDate: string, asOf: string } | null } };

export type StampsOfUserQueryVariables = Exact<{
  userId: string;
  after?: string | null | undefined;
}>;


export type StampsOfUserQuery = { stampsOfUser: { userId: string, stamps: Array<{ stampIdx: number, cardName: string | null, stamps: number, maxStamps: number, complete: boolean, onsiteApproval: boolean }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export const PunchCardFragmentDoc = {"kind":"Document","definitions":[{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PunchCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Stamp"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"cardTitle"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]} as unknown as DocumentNode<PunchCardFragment, unknown>;
export const AddStampDocument = {"__meta__":{"hash":"sha256:8344704edc19fa0cf379a6ba364e2d1a060fe0cb96929da7bcedcd510c09aebc"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"AddStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"addStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}}]}}]}}]}}]} as unknown as DocumentNode<AddStampMutation, AddStampMutationVariables>;
export const MyStampsDocument = {"__meta__":{"hash":"sha256:23cb55fb3e8e162ecc252eb46373c0fe951e668f57233a3cea0078715babd19b"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"MyStamps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"myStamps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PunchCard"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PunchCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Stamp"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"cardTitle"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]} as unknown as DocumentNode<MyStampsQuery, MyStampsQueryVariables>;
export const RedeemStampDocument = {"__meta__":{"hash":"sha256:5e4a2c1991ec5d1f2210d910239d32ed418b91e97748cfa2a4d323586c86774a"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RedeemStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"onsitePassword"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"redeemStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"onsitePassword"},"value":{"kind":"Variable","name":{"kind":"Name","value":"onsitePassword"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"idempotencyKey"},"value":{"kind":"Variable","name":{"kind":"Name","value":"idempotencyKey"}}}]}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}}]}}]}}]} as unknown as DocumentNode<RedeemStampMutation, RedeemStampMutationVariables>;
export const CashierStampDocument = {"__meta__":{"hash":"sha256:f6aa616389ea33c0aec975c5194b9f13a06ae354f4000acb220cab4ceabd1755"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"CashierStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"onsiteApproval"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]} as unknown as DocumentNode<CashierStampQuery, CashierStampQueryVariables>;
export const PunchCardChangedDocument = {"__meta__":{"hash":"sha256:ac9cc0702ea35d807cb90a979b836ffe4d043e6d4e259ae5a14efbd28ddb638c"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"subscription","name":{"kind":"Name","value":"PunchCardChanged"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdxs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampsChanged"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdxs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdxs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"source"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"FragmentSpread","name":{"kind":"Name","value":"PunchCard"}}]}}]}}]}},{"kind":"FragmentDefinition","name":{"kind":"Name","value":"PunchCard"},"typeCondition":{"kind":"NamedType","name":{"kind":"Name","value":"Stamp"}},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"cardTitle"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"asOf"}}]}}]} as unknown as DocumentNode<PunchCardChangedSubscription, PunchCardChangedSubscriptionVariables>;
export const StampsOfUserDocument = {"__meta__":{"hash":"sha256:bbf03def68a376e1585e4d89c0a9c6f80bf357b33d15d53fa30902743d25b5b1"},"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StampsOfUser"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"userId"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampsOfUser"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"userId"},"value":{"kind":"Variable","name":{"kind":"Name","value":"userId"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"userId"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"onsiteApproval"}}]}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}}]}}]}}]} as unknown as DocumentNode<StampsOfUserQuery, StampsOfUserQueryVariables>;