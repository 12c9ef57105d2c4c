// Turns the recorded outcomes into per-phase numbers: requests, failures, how long after the
// fault requests kept failing (recovery), and whether failures were still happening when the
// phase ended (not recovered). A request belongs to the phase in which its answer came: one
// sent just before a fault and failed by it counts against that fault.
import { formatMs } from '../args';
import { table } from '../table';
import type { Outcome, TrafficKind } from './traffic';

export interface PhaseWindow {
  readonly name: string;
  /** Traffic clock (ms) when the phase started; the fault, if any, is injected then. */
  readonly start: number;
  readonly end: number;
  readonly fault: boolean;
  /** How long the faulted component took to come back (restart until ready), if measured. */
  readonly componentBackMs?: number;
}

export interface PhaseReport {
  readonly window: PhaseWindow;
  readonly requests: number;
  readonly failed: Record<TrafficKind, number>;
  readonly failedTotal: number;
  /** Time from the fault to the last failed request's answer; 0 when nothing failed. */
  readonly recoveryMs: number;
  /** Failures in the last `tailMs` of the phase: the service had not recovered when it ended. */
  readonly recovered: boolean;
  readonly failureKinds: readonly string[];
}

export function phaseReport(window: PhaseWindow, outcomes: readonly Outcome[], tailMs: number): PhaseReport {
  const mine = outcomes.filter((outcome) => outcome.done >= window.start && outcome.done < window.end);
  const failures = mine.filter((outcome) => !outcome.ok);
  const failed: Record<TrafficKind, number> = { write: 0, read: 0, front: 0 };
  for (const failure of failures) failed[failure.kind] += 1;
  const last = failures.reduce((latest, outcome) => Math.max(latest, outcome.done), window.start);
  const results = new Map<string, number>();
  for (const failure of failures) results.set(`${failure.kind} ${failure.result}`, (results.get(`${failure.kind} ${failure.result}`) ?? 0) + 1);
  return {
    window,
    requests: mine.length,
    failed,
    failedTotal: failures.length,
    recoveryMs: failures.length === 0 ? 0 : last - window.start,
    recovered: !failures.some((outcome) => outcome.done >= window.end - tailMs),
    failureKinds: [...results.entries()].sort().map(([result, count]) => `${count}x ${result}`),
  };
}

export function phaseTable(reports: readonly PhaseReport[]): string {
  return table(
    ['phase', 'requests', 'failed', 'writes failed', 'reads failed', 'front failed', 'back in', 'errors until', 'failures'],
    reports.map((report) => [
      report.window.name,
      String(report.requests),
      String(report.failedTotal),
      String(report.failed.write),
      String(report.failed.read),
      String(report.failed.front),
      report.window.componentBackMs === undefined ? '-' : formatMs(report.window.componentBackMs),
      !report.window.fault ? '-' : !report.recovered ? 'not recovered' : report.failedTotal === 0 ? 'none' : `+${formatMs(report.recoveryMs)}`,
      report.failureKinds.join(', ') || '-',
    ]),
  );
}
