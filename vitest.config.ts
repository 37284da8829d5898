import { defineConfig } from "vitest/config";

// Two projects: the pure core and Node tools run in plain Node; everything that touches bindings runs in workerd.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "core",
          environment: "node",
          include: [
            "core/**/*.test.ts",
            "db/**/*.test.ts",
            "kb-loader/**/*.test.ts",
            "evals/**/*.test.ts",
            "test-tools/**/*.test.ts",
            "scripts/**/*.test.ts",
          ],
        },
      },
    ],
  },
});
