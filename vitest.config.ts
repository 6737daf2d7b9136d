import { defineConfig } from "vitest/config";

/**
 * Two projects: `unit` (Node: schema, operations, Yjs binding, physics, server, fixtures through
 * the Khronos validator) and `browser` (real Chromium driven by playwright-core against the real
 * server; run one file at a time, SwiftShader is CPU-bound on two cores).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          // The adversarial suite: real server processes under hostile clients (issue 16). One
          // file at a time, so that floods and timings do not overlap.
          name: "security",
          include: ["test/security/**/*.test.ts"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 60_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          globalSetup: ["test/support/build-app.ts"],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
