/**
 * Ends every test run with one plain line, `N passed, N failed`, that CI reads; a run that executed no test
 * shows up as `0 passed`.
 */
import type { Reporter, TestModule } from "vitest/node";

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: readonly TestModule[]): void {
    let passed = 0;
    let failed = 0;
    for (const module of modules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") passed++;
        else if (state === "failed") failed++;
      }
      // A file that failed outside its tests (an import, or a beforeAll that threw so its tests were skipped).
      if (
        module.state() === "failed" &&
        ![...module.children.allTests()].some((t) => t.result().state === "failed")
      )
        failed++;
    }
    console.log(`\n${passed} passed, ${failed} failed`);
  }
}
