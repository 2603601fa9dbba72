/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
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


export const FullStampDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"FullStamp"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardIdx"}},{"kind":"Field","name":{"kind":"Name","value":"cardName"}},{"kind":"Field","name":{"kind":"Name","value":"cardTitle"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"maxStamps"}},{"kind":"Field","name":{"kind":"Name","value":"remaining"}},{"kind":"Field","name":{"kind":"Name","value":"complete"}},{"kind":"Field","name":{"kind":"Name","value":"active"}},{"kind":"Field","name":{"kind":"Name","value":"startDate"}},{"kind":"Field","name":{"kind":"Name","value":"endDate"}},{"kind":"Field","name":{"kind":"Name","value":"domain"}},{"kind":"Field","name":{"kind":"Name","value":"stampUrl"}},{"kind":"Field","name":{"kind":"Name","value":"url"}},{"kind":"Field","name":{"kind":"Name","value":"imageUrl"}},{"kind":"Field","name":{"kind":"Name","value":"memo"}},{"kind":"Field","name":{"kind":"Name","value":"onsiteApproval"}},{"kind":"Field","name":{"kind":"Name","value":"issuedAt"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"phone"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"etc1"}},{"kind":"Field","name":{"kind":"Name","value":"etc2"}}]}}]}}]}}]} as unknown as DocumentNode<FullStampQuery, FullStampQueryVariables>;
export const ManyStampsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ManyStamps"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdxs"}},"type":{"kind":"NonNullType","type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stamps"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdxs"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdxs"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}},{"kind":"Field","name":{"kind":"Name","value":"user"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}}]}}]}}]}}]} as unknown as DocumentNode<ManyStampsQuery, ManyStampsQueryVariables>;
export const ValidateDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Validate"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"validateStamp"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"stampIdx"},"value":{"kind":"Variable","name":{"kind":"Name","value":"stampIdx"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"valid"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"stamp"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"stampIdx"}},{"kind":"Field","name":{"kind":"Name","value":"stamps"}}]}}]}}]}}]} as unknown as DocumentNode<ValidateQuery, ValidateQueryVariables>;