/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite'
import react from '@vitejs/plugin-react'
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// keepPlaceholder rewrites dist/.keep after a build: main.go embeds
// frontend/dist and the placeholder is committed so `go vet` works
// before the first frontend build.
function keepPlaceholder(): Plugin {
  return {
    name: 'flowbench-keep',
    closeBundle() {
      writeFileSync(fileURLToPath(new URL('./dist/.keep', import.meta.url)), 'placeholder\n')
    },
  }
}

export default defineConfig({
  plugins: [react(), keepPlaceholder()],
  base: './',
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: { '/api': 'http://127.0.0.1:7777' } },
  test: { environment: 'node', include: ['src/**/*.test.ts'] },
})
