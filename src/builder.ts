import SchemaBuilder from '@pothos/core';
import ScopeAuthPlugin, { RequestCache } from '@pothos/plugin-scope-auth';
import ValidationPlugin from '@pothos/plugin-validation';
import type { Caller } from './auth/authentication.js';
import { errors } from './errors.js';
import type { StampSession } from './stamps/session.js';

/** What every resolver gets: who calls, this request's id, and the stamp domain for this request. */
export interface GatewayContext {
  requestId: string;
  caller: Caller;
  /** The request's `Idempotency-Key` header, for a request with one mutation. */
  idempotencyKeyHeader: string | null;
  stamps: StampSession;
}

/**
 * Lets go of what Pothos keeps for one request once its operation has run: the scope plugin's cache,
 * held in a WeakMap by the context. V8's young collections keep a WeakMap's values alive while the
 * entry exists, however dead its key, so every request in flight at one young collection had its whole
 * context (its stamp session, loader, upstream answers) promoted to the old generation at the next,
 * left there for full collections: most of what the gateway's young collections copied (the README's
 * benchmark section has the figures). A later use builds the cache again.
 */
export function releaseRequestCaches(context: GatewayContext): void {
  RequestCache.clearForContext(context);
}

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
    // A subscription is authorized when it starts, not per event.
    authorizeOnSubscribe: true,
    authScopes: ({ caller }) => ({
      'stamps:read': caller.scopes.has('stamps:read'),
      'stamps:write': caller.scopes.has('stamps:write'),
      'stamps:redeem': caller.scopes.has('stamps:redeem'),
      'stamps:admin': caller.scopes.has('stamps:admin'),
    }),
    unauthorizedError: (_parent, { caller }, info) =>
      caller.kind === 'anonymous'
        ? errors.authenticationRequired()
        : errors.forbidden(`Not allowed: ${info.parentType.name}.${info.fieldName} needs a scope this caller does not have`),
  },
  validation: {
    // Every failing field at once, with a stable code, before anything reaches the upstream.
    validationError: (failure) =>
      errors.badUserInput(failure.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }))),
  },
});

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
