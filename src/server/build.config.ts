import { defineConfig } from 'vite'

/**
 * Builds the venue server for Node 20 (`npm run build:server` → dist-server/main.js and venue-load.js). Node 20 cannot
 * run TypeScript itself and `tsx` is not a dependency, so Vite's SSR build (already installed)
 * compiles src/server and the src/core modules it shares with the client into one ES module;
 * packages in node_modules stay external and load at run time.
 */
export default defineConfig({
  root: new URL('../..', import.meta.url).pathname,
  publicDir: false,
  logLevel: 'warn',
  build: {
    // The server, and the load benchmark that runs it in-process (npm run bench:venue).
    ssr: true,
    outDir: 'dist-server',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { main: 'src/server/main.ts', 'venue-load': 'src/server/venue-load.ts' },
      output: { entryFileNames: '[name].js' },
    },
  },
})
