/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The Go server listens here during development (PRESTO_ADDR's default).
const backend = "http://127.0.0.1:8000";

export default defineConfig({
  // The voice modules run in AudioWorklets too, where the dev server's hot-reload code (it needs a
  // window) would keep the processors from registering: they hold no components to refresh.
  plugins: [preact({ exclude: [/node_modules/, /\/src\/voice\//] })],
  server: {
    port: 5173,
    proxy: {
      "/api": backend,
      "/images": backend,
      "/ws": { target: backend, ws: true },
      "/voice": { target: backend, ws: true },
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // Hashed file names under assets/ let the server cache them for a year.
    assetsDir: "assets",
    target: "es2022",
  },
  test: {
    include: ["src/**/*.test.ts"],
    environment: "node",
  },
});
