import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import type { AtRule, Plugin as PostcssPlugin } from 'postcss';

// In development the console runs on Vite and forwards the API to a gateway started with
// `cargo run -- serve --demo` (override with SPORTELLO_GATEWAY).
const gateway = process.env.SPORTELLO_GATEWAY ?? 'http://127.0.0.1:8080';

// bootstrap-italia's CSS embeds the Video.js icon font as a data: URI. The console has no video
// player, and the server's Content-Security-Policy (`font-src 'self'`) refuses data: fonts, so
// the font is left out of the build.
const dropVideoJsFont: PostcssPlugin = {
  postcssPlugin: 'drop-videojs-font',
  AtRule: {
    'font-face': (rule: AtRule) => {
      let videojs = false;
      rule.walkDecls('font-family', (decl) => {
        if (decl.value.replace(/["']/g, '').trim() === 'VideoJS') videojs = true;
      });
      if (videojs) rule.remove();
    },
  },
};

export default defineConfig({
  plugins: [react()],
  css: { postcss: { plugins: [dropVideoJsFont] } },
  server: {
    proxy: {
      '/graphql': gateway,
      '/readyz': gateway,
    },
  },
  build: {
    chunkSizeWarningLimit: 2000,
    // The console, and GraphiQL (served at /graphiql on development installations) bundled
    // beside it so that no page loads anything from another host.
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        graphiql: resolve(import.meta.dirname, 'graphiql.html'),
      },
    },
  },
});
