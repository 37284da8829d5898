/**
 * The recorder's way into Postgres: a thread record is parsed (the outbox is storage, a boundary) and written
 * in one transaction; a refused one is kept whole in dead_letters. Failures are classified by db/db-error.ts:
 * data exceptions and integrity violations are the record's fault, everything else is upstream, and after an
 * upstream fault the connection is dropped so the next try starts fresh (the driver would back off its own
 * reconnects for up to 20 s).
 */
import type { Database } from "../db/client.ts";
import { toDbError } from "../db/db-error.ts";
import { recordTurn, saveDeadLetter, turnRecordSchema } from "../db/record.ts";
import type { Fault, RecordSink } from "./recorder.ts";

export function postgresRecordSink(
  db: { get(): Database; reset(): void },
  threadId: string | null,
): RecordSink {
  const classify = (error: unknown): Fault => {
    if (error instanceof Error && error.name === "RecordTimeout")
      return { fault: "upstream", code: "TIMEOUT" };
    const e = toDbError("record", error);
    return { fault: e.fault, code: e.sqlstate ?? (e.fault === "data" ? "invalid_record" : "unreachable") };
  };
  const guard = async (work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      if (classify(error).fault === "upstream") db.reset();
      throw error;
    }
  };
  return {
    write: (record) => guard(() => recordTurn(db.get(), turnRecordSchema.parse(record))),
    deadLetter: (row, failure, attempts) =>
      guard(() => {
        const parsed = turnRecordSchema.safeParse(row.record);
        return saveDeadLetter(db.get(), {
          source: "thread_record",
          sourceId: (parsed.success ? parsed.data.id : undefined) ?? `${threadId ?? "unknown"}:${row.id}`,
          threadId: parsed.success ? parsed.data.thread.id : threadId,
          errorCode: `${failure.fault}:${failure.code}`,
          sqlstate: /^[0-9A-Z]{5}$/.test(failure.code) ? failure.code : null,
          attempts,
          payload: JSON.stringify(row.record),
        });
      }),
    classify,
  };
}
