import type { Scope } from '../auth/authentication.js';

/**
 * A field's scope requirement, next to its definition: enforced by @pothos/plugin-scope-auth and
 * stated in the description that GraphiQL and codegen show.
 */
export function requires<S extends Scope>(scope: S, description: string) {
  return {
    description: `${description}\n\nRequires the \`${scope}\` scope.`,
    authScopes: { [scope]: true } as { [K in S]: true },
  };
}
