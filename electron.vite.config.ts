import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { readFileSync } from 'node:fs'
import type { Plugin } from 'vite'

/**
 * The fused RNN kernels (built by scripts/build-kernels.mjs) and their helper thread's program beside
 * the bundled worker, which loads them. (The native addon stays in native/build/, found from there.)
 */
function fusedKernels(): Plugin {
  return {
    name: 'rnn-lab-fused-kernels',
    generateBundle() {
      for (const file of ['rnn-kernels.wasm', 'wasm-helper-thread.cjs']) {
        const source = readFileSync(resolve(__dirname, 'src-main/engine/fused', file))
        for (const fileName of [file, `chunks/${file}`]) this.emitFile({ type: 'asset', fileName, source })
      }
    }
  }
}

// One build for the three Electron runtimes. The main build also emits the `rnn-lab` CLI
// (out/main/cli.js) and the training worker, so `serve` and the desktop app share one core.
export default defineConfig({
  main: {
    plugins: [fusedKernels()],
    build: {
      outDir: 'out/main',
      rolldownOptions: {
        input: {
          index: resolve(__dirname, 'src-main/electron/main.ts'),
          cli: resolve(__dirname, 'src-main/cli.ts')
        }
      }
    }
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-main/electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' }
      }
    }
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [svelte()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rolldownOptions: {
        input: { index: resolve(__dirname, 'src-renderer/index.html') }
      }
    }
  }
})
