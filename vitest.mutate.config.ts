import { defineConfig } from 'vitest/config';

// The unit tests alone, for npm run mutate (scripts/mutate.mjs names the test files per core file).
export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'db/**/*.test.ts', 'electron/**/*.test.ts', 'test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
