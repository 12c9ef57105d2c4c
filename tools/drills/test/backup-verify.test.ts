// The rules the backup drill applies to what a restore brought back (one writer: commit
// order is id order).
import { checkEndOfArchive, checkPointInTime } from '../src/backup/verify';
import type { Write } from '../src/backup/writes';

/** Writes 1..n sent every 10 ms, each acknowledged 5 ms later; `unacked` never were. */
function writes(n: number, unacked: readonly number[] = []): Write[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, sentAt: i * 10, ackedAt: unacked.includes(i + 1) ? undefined : i * 10 + 5 }));
}
const ids = (...ranges: [number, number][]) => new Set(ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i)));

describe('restore to a point in time', () => {
  // The target was asked for at 52 ms and answered at 58 ms: writes 1-5 were acknowledged
  // before (ack at 45 ms for write 5), write 6 (sent 50 ms, acked 55 ms) was in flight,
  // writes 7-10 were sent after.
  const mark = { sentAt: 52, answeredAt: 58 };

  test('every write acknowledged before the target and none sent after it passes', () => {
    expect(checkPointInTime(writes(10), mark, ids([1, 5]))).toEqual({ before: 5, missingBefore: [], after: 4, presentAfter: [], inFlight: 1 });
    expect(checkPointInTime(writes(10), mark, ids([1, 6])).presentAfter).toEqual([]);
  });

  test('a missing acknowledged write and a write from after the target are both reported', () => {
    const check = checkPointInTime(writes(10), mark, new Set([1, 2, 4, 5, 6, 7]));
    expect(check.missingBefore).toEqual([3]);
    expect(check.presentAfter).toEqual([7]);
  });
});

describe('restore to the end of the archive', () => {
  test('the acknowledged writes after the newest restored one are the RPO, not a failure', () => {
    // Lost at 100 ms; writes 1-7 restored, 8-10 (acked at 75, 85, 95 ms) were not archived.
    expect(checkEndOfArchive(writes(10), 100, ids([1, 7]))).toEqual({ acknowledged: 10, recovered: 7, gaps: [], rpoMs: 25 });
  });

  test('nothing lost gives an RPO of 0', () => {
    expect(checkEndOfArchive(writes(10), 100, ids([1, 10])).rpoMs).toBe(0);
  });

  test('an acknowledged write missing before a restored one is a gap', () => {
    expect(checkEndOfArchive(writes(10), 100, new Set([1, 2, 4, 5])).gaps).toEqual([3]);
  });

  test('a write that was never acknowledged may be missing anywhere', () => {
    expect(checkEndOfArchive(writes(10, [3]), 100, new Set([1, 2, 4, 5]))).toMatchObject({ acknowledged: 9, gaps: [] });
  });

  test('writes acknowledged after the loss do not count', () => {
    expect(checkEndOfArchive(writes(10), 50, ids([1, 5])).acknowledged).toBe(5);
  });
});
