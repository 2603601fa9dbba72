import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { GatewayContext } from './context.js';
import { badUserInput, ErrorCode, gatewayError } from './schema/errors.js';

function issuePath(path: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined): string {
  return (path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(input)';
}

/** The Pothos builder and its plugins; the types live in src/schema. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  AuthScopes: { 'stamps:read': boolean; 'stamps:write': boolean; 'stamps:redeem': boolean; 'stamps:admin': boolean };
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
  };
}>({
  // Scopes first: a caller without the right scope learns nothing, not even whether the input was valid.
  plugins: [ScopeAuthPlugin, ValidationPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    authScopes: ({ caller }) => ({
      'stamps:read': caller.scopes.has('stamps:read'),
      'stamps:write': caller.scopes.has('stamps:write'),
      'stamps:redeem': caller.scopes.has('stamps:redeem'),
      'stamps:admin': caller.scopes.has('stamps:admin'),
    }),
    unauthorizedError: (_parent, { caller }, info) =>
      caller.kind === 'anonymous'
        ? gatewayError(ErrorCode.UNAUTHENTICATED, 'Authentication required: send Authorization: Bearer <token>', { outcome: 'NOT_APPLIED' })
        : gatewayError(ErrorCode.FORBIDDEN, `Not allowed: ${info.parentType.name}.${info.fieldName} needs a scope this caller does not have`, {
            outcome: 'NOT_APPLIED',
          }),
  },
  validation: {
    // Every failing field at once, with a stable code, before anything reaches the upstream.
    validationError: (failure) =>
      badUserInput(failure.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }))),
  },
});

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
