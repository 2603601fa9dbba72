// The layering rule of src/ (README: "Where things live"), checked by `npm run lint` in CI:
//   server -> app -> gateway -> plugins, schema -> stamps -> upstream / store / auth
// Nothing below imports anything above it, nothing imports src/schema but gateway.ts, the sandbox
// shares no code with the upstream client, and there are no cycles.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', comment: 'Import cycles hide which room depends on which.', from: {}, to: { circular: true } },
    {
      name: 'lower-layers-stay-below',
      severity: 'error',
      comment: 'upstream/, store/ and auth/ know nothing of the domain, the schema, the plugins or the assembly.',
      from: { path: '^src/(upstream|store|auth)/' },
      to: { path: '^src/(stamps|schema|plugins)/|^src/(gateway|app|server|serve|builder)\\.ts$' },
    },
    {
      name: 'domain-knows-no-graphql',
      severity: 'error',
      comment: 'The stamp domain knows no GraphQL, no yoga, no HTTP request: it throws GatewayError.',
      from: { path: '^src/stamps/' },
      to: { path: '^src/(schema|plugins)/|^src/(gateway|app|server|serve|builder)\\.ts$|node_modules/(graphql|graphql-yoga|@pothos)/' },
    },
    {
      name: 'only-the-gateway-imports-the-schema',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/schema/|^src/gateway\\.ts$' },
      to: { path: '^src/schema/' },
    },
    {
      name: 'schema-talks-to-the-domain',
      severity: 'error',
      comment: 'Resolvers call the stamp domain; they never reach past it to the stamp API client or the store.',
      from: { path: '^src/schema/' },
      to: { path: '^src/(upstream/(client|stamp-api|quota|breaker|retry-policy)|store/(store|database))\\.ts$|^src/(plugins)/|^src/(gateway|app|server|serve)\\.ts$' },
    },
    {
      name: 'plugins-do-not-reach-into-the-domain',
      severity: 'error',
      from: { path: '^src/plugins/' },
      to: { path: '^src/(stamps|schema|upstream|store)/|^src/(gateway|app|server|serve)\\.ts$', pathNot: '^src/stamps/stamp-cache\\.ts$|^src/upstream/(breaker|quota|client)\\.ts$' },
    },
    {
      name: 'the-sandbox-is-a-separate-service',
      severity: 'error',
      comment: 'The sandbox shares no code with upstream/ (or it would test the client against itself) and nothing of the gateway above the store.',
      from: { path: '^src/sandbox/' },
      to: { path: '^src/(upstream|stamps|schema|plugins|auth)/|^src/(gateway|app|server|builder|errors|config)\\.ts$' },
    },
    {
      name: 'errors-and-config-are-leaves',
      severity: 'error',
      comment: 'The error table and the configuration are imported from everywhere, so they import almost nothing.',
      from: { path: '^src/(errors|config)\\.ts$' },
      to: { path: '^src/', pathNot: '^src/upstream/errors\\.ts$|^src/auth/authentication\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'], extensions: ['.ts', '.js'] },
  },
};
