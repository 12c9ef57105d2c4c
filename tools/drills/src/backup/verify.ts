// What the restored servers must contain, from the writer's acknowledgements (one writer:
// commit order is id order). Pure functions, so the rules are tested without a server.
import type { Write } from './writes';

/** When the target time was read from the server: before sending the query, after its answer. */
export interface TargetMark {
  readonly sentAt: number;
  readonly answeredAt: number;
}

export interface PointInTimeCheck {
  /** Writes acknowledged before the target was asked for: each must be restored. */
  readonly before: number;
  readonly missingBefore: readonly number[];
  /** Writes sent after the target was answered: none may be restored. */
  readonly after: number;
  readonly presentAfter: readonly number[];
  /** Writes in flight while the target was read: either outcome is correct. */
  readonly inFlight: number;
}

export function checkPointInTime(writes: readonly Write[], mark: TargetMark, restored: ReadonlySet<number>): PointInTimeCheck {
  const before = writes.filter((w) => w.ackedAt !== undefined && w.ackedAt < mark.sentAt);
  const after = writes.filter((w) => w.sentAt > mark.answeredAt);
  return {
    before: before.length,
    missingBefore: before.filter((w) => !restored.has(w.id)).map((w) => w.id),
    after: after.length,
    presentAfter: after.filter((w) => restored.has(w.id)).map((w) => w.id),
    inFlight: writes.length - before.length - after.length,
  };
}

export interface EndOfArchiveCheck {
  /** Writes acknowledged before the server was lost. */
  readonly acknowledged: number;
  /** Of those, restored from the archive. */
  readonly recovered: number;
  /** Acknowledged writes missing although a later write was restored: never acceptable. */
  readonly gaps: readonly number[];
  /**
   * Recovery point: how long before the loss the oldest lost acknowledged write was
   * acknowledged (0 when none was lost). archive_timeout bounds it.
   */
  readonly rpoMs: number;
}

export function checkEndOfArchive(writes: readonly Write[], lostAt: number, restored: ReadonlySet<number>): EndOfArchiveCheck {
  const acknowledged = writes.filter((w) => w.ackedAt !== undefined && w.ackedAt <= lostAt);
  const newestRestored = Math.max(0, ...[...restored]);
  const lost = acknowledged.filter((w) => !restored.has(w.id));
  const firstLost = lost.find((w) => w.id > newestRestored);
  return {
    acknowledged: acknowledged.length,
    recovered: acknowledged.length - lost.length,
    gaps: lost.filter((w) => w.id < newestRestored).map((w) => w.id),
    rpoMs: firstLost?.ackedAt !== undefined ? lostAt - firstLost.ackedAt : 0,
  };
}
