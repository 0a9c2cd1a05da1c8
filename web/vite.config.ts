import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// In development the console runs on Vite and forwards the API to a gateway started with
// `cargo run -- serve --demo` (override with SPORTELLO_GATEWAY).
const gateway = process.env.SPORTELLO_GATEWAY ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: {
      '/graphql': gateway,
      '/readyz': gateway,
    },
  },
  build: {
    chunkSizeWarningLimit: 2000,
  },
});
