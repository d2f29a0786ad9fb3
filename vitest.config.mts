import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Training tests start worker threads; two cores here, so keep files from competing too much.
    maxWorkers: 2,
    pool: 'forks'
  }
})
