import type { CodegenConfig } from '@graphql-codegen/cli';

// Types come from the committed SDL, so the build needs no running server.
const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: ['src/**/*.{ts,tsx}', '!src/gql/**/*'],
  ignoreNoDocuments: true,
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        documentMode: 'string',
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { DateTime: 'string', NaiveDate: 'string' },
      },
      presetConfig: { fragmentMasking: false },
    },
  },
};

export default config;
