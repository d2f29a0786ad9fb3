import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Specs beside the renderer's pure logic (src-renderer/lib/compare.test.ts), the rest under test/.
    include: ['test/**/*.test.ts', 'src-renderer/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Training tests start worker threads; two cores here, so keep files from competing too much.
    maxWorkers: 2,
    pool: 'forks'
  }
})
