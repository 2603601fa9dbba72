import type { CodegenConfig } from '@graphql-codegen/cli';

// `npm run codegen`: prints the schema contract and the typed documents the tests use.
const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  require: ['tsx/esm'],
  documents: ['test/**/*.ts', '!test/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true },
    },
    'test/gql/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars: { Date: 'string', DateTime: 'string' },
      },
    },
  },
};

export default config;
