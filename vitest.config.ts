import { defineConfig } from 'vitest/config'

// Unit tests cover the framework-free core and pure helpers; they run in Node, no browser.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
    exclude: ['src/e2e/**', 'node_modules/**'],
  },
})
