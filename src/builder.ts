import SchemaBuilder from '@pothos/core';
import ValidationPlugin from '@pothos/plugin-validation';
import type { GatewayContext } from './context.js';
import { badUserInput } from './schema/errors.js';

function issuePath(path: ReadonlyArray<PropertyKey | { key: PropertyKey }> | undefined): string {
  return (path ?? []).map((p) => String(typeof p === 'object' ? p.key : p)).join('.') || '(input)';
}

/** The Pothos builder and its plugins; the types live in src/schema. */
export const builder = new SchemaBuilder<{
  Context: GatewayContext;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: string; Output: string };
    DateTime: { Input: string; Output: string };
  };
}>({
  plugins: [ValidationPlugin],
  defaultFieldNullability: false,
  validation: {
    // Every failing field at once, with a stable code, before anything reaches the upstream.
    validationError: (failure) =>
      badUserInput(failure.issues.map((issue) => ({ path: issuePath(issue.path), message: issue.message }))),
  },
});

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
