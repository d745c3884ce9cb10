/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The Go server listens here during development (PRESTO_ADDR's default).
const backend = "http://127.0.0.1:8000";

export default defineConfig({
  plugins: [preact()],
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
