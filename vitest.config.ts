import { defineConfig } from "vitest/config";

/**
 * Three projects: `unit` (Node: schema, operations, Yjs binding, physics, server, fixtures through
 * the Khronos validator), `security` (the adversarial suite against real server processes) and
 * `browser` (real Chromium driven by playwright-core against the real server; run one file at a
 * time, SwiftShader is CPU-bound on two cores).
 */
export default defineConfig({
  test: {
    // The built app is served by the server tests, the adversarial suite and the browser tests:
    // built once, before any project runs (a fresh clone has no dist/).
    globalSetup: ["test/support/build-app.ts"],
    projects: [
      {
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          environment: "node",
          // Projects run one after another (vitest runs them all at once otherwise): the browser
          // tests time four pages of software rendering on two cores, and neither the unit tests'
          // asset pipelines nor the adversarial suite's floods may share those cores with them.
          sequence: { groupOrder: 0 },
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
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "browser",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
