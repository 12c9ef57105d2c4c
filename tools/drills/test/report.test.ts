// Per-phase numbers of the resilience drill.
import { phaseReport, phaseTable } from '../src/resilience/report';
import type { Outcome } from '../src/resilience/traffic';

const ok = (kind: Outcome['kind'], done: number): Outcome => ({ kind, at: done - 5, done, ok: true, result: '201' });
const failed = (kind: Outcome['kind'], done: number, result: string): Outcome => ({ kind, at: done - 5, done, ok: false, result });

describe('resilience phase report', () => {
  const window = { name: 'pg-restart', start: 1000, end: 9000, fault: true, componentBackMs: 1500 };

  it('counts only answers that came during the phase and measures failures from the fault on', () => {
    const outcomes = [ok('write', 999), failed('read', 998, '503'), ok('write', 1100), failed('write', 1200, '503'), failed('read', 2400, '503'), failed('front', 2600, '503'), ok('read', 3000), ok('write', 9000)];
    const report = phaseReport(window, outcomes, 2000);
    expect(report).toMatchObject({ requests: 5, failedTotal: 3, failed: { write: 1, read: 1, front: 1 }, recoveryMs: 1600, recovered: true });
    expect(report.failureKinds).toEqual(['1x front 503', '1x read 503', '1x write 503']);
  });

  it('marks a phase not recovered when requests still fail near its end', () => {
    const report = phaseReport(window, [failed('write', 1500, 'timeout'), failed('write', 8500, 'ECONNREFUSED')], 2000);
    expect(report.recovered).toBe(false);
    expect(phaseTable([report])).toMatch(/pg-restart .* 1\.5s +not recovered +1x write ECONNREFUSED, 1x write timeout/);
  });

  it('reports no recovery time when nothing failed', () => {
    const report = phaseReport(window, [ok('write', 2000)], 2000);
    expect(report).toMatchObject({ failedTotal: 0, recoveryMs: 0, recovered: true });
    expect(phaseTable([report])).toMatch(/pg-restart +1 +0 +0 +0 +0 +1\.5s +none +-$/m);
  });
});
