// Measures a command's wall time and the CPU (user + sys) of it and every descendant it
// waited for, from the cutime/cstime counters of this process in /proc (Linux).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

function childrenCpuSeconds(): number {
  const stat = fs.readFileSync('/proc/self/stat', 'utf8');
  // Fields after the parenthesised command name; cutime and cstime are fields 16 and 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND;
}

export interface Sample {
  readonly wallSeconds: number;
  readonly cpuSeconds: number;
}

export function measure(command: string, env: NodeJS.ProcessEnv, cwd: string): Sample {
  const cpuBefore = childrenCpuSeconds();
  const start = process.hrtime.bigint();
  const result = spawnSync('sh', ['-c', command], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`"${command}" exited ${result.status}:\n${result.stderr}`);
  return { wallSeconds, cpuSeconds: childrenCpuSeconds() - cpuBefore };
}

export function summarize(values: readonly number[]): { min: number; median: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return { min: sorted[0], median: sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2 };
}
