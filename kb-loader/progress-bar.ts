/**
 * The loader's progress on stderr, so stdout stays clean for the summary (and for --json). On a terminal it
 * redraws one line; in a log (CI, a pipe) it writes a line per phase and every tenth of the work. Used by cli.ts.
 */
import type { LoadProgress } from "./load-knowledge.ts";

export interface ProgressOutput {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

const LABELS: Record<LoadProgress["phase"], string> = {
  read: "reading source",
  index: "chunking, embedding, writing",
  prune: "pruning",
  stats: "updating statistics",
};

export function progressBar(
  out: ProgressOutput,
  label: string,
): { update(p: LoadProgress): void; done(): void } {
  let lastPhase = "";
  let lastTenth = -1;
  let drawn = false;
  return {
    update(p) {
      const share = p.total > 0 ? p.done / p.total : 1;
      if (out.isTTY) {
        const width = Math.max(10, Math.min(40, (out.columns ?? 80) - 60));
        const filled = Math.round(share * width);
        const bar = `${"█".repeat(filled)}${"░".repeat(width - filled)}`;
        const count = p.phase === "index" ? ` ${p.done}/${p.total} docs` : "";
        out.write(
          `\r${label} ${bar} ${String(Math.round(share * 100)).padStart(3)}% ${LABELS[p.phase]}${count}\x1b[K`,
        );
        drawn = true;
        return;
      }
      const tenth = Math.floor(share * 10);
      if (p.phase !== lastPhase || (p.phase === "index" && tenth !== lastTenth)) {
        const count = p.phase === "index" ? ` ${p.done}/${p.total} docs` : "";
        out.write(`${label}: ${LABELS[p.phase]}${count}\n`);
      }
      lastPhase = p.phase;
      lastTenth = tenth;
    },
    done() {
      if (drawn) out.write("\n");
    },
  };
}
