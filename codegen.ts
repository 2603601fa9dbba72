import type { CodegenConfig } from '@graphql-codegen/cli';

const scalars = { Date: 'string', DateTime: 'string' };

// `npm run codegen`: prints the schema contract, the typed documents the tests use, and the example
// client's typed, persisted documents (examples/gql/persisted-documents.json is the allow-list a
// gateway takes as PERSISTED_OPERATIONS_FILE).
const config: CodegenConfig = {
  schema: './src/schema/index.ts',
  ignoreNoDocuments: false,
  generates: {
    'schema/schema.graphql': {
      plugins: ['schema-ast'],
      config: { includeDirectives: true },
    },
    'test/gql/': {
      documents: ['test/**/*.ts', '!test/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        emitLegacyCommonJSImports: false,
        useTypeImports: true,
        enumsAsTypes: true,
        scalars,
      },
    },
    // What a front-end team copies: the operations in .graphql files, against the committed schema.
    'examples/gql/': {
      schema: './schema/schema.graphql',
      documents: ['examples/operations/*.graphql'],
      preset: 'client',
      presetConfig: { persistedDocuments: true, fragmentMasking: false },
      config: { emitLegacyCommonJSImports: false, useTypeImports: true, enumsAsTypes: true, scalars },
    },
  },
};

export default config;
