import { backupDrill } from './backup-drill';
import type { Drill, Io } from './drill';
import { DrillError, UsageError } from './errors';
import { load } from './load';
import { monitoringCheck } from './monitoring-check';
import { resilience } from './resilience';
import { smoke } from './smoke';

export const DRILLS: readonly Drill[] = [smoke, load, resilience, monitoringCheck, backupDrill];

const HELP = `Usage: npm run <drill> -- [options]   (or: node tools/run-ts.cjs tools/drills/main.ts <drill> ...)

Operational drills for EcoData (see tools/drills/README.md):
${DRILLS.map((drill) => `  ${drill.name.padEnd(17)} ${drill.summary}`).join('\n')}

Run "npm run <drill> -- --help" for a drill's options.`;

/** Runs one drill and returns the exit code: 0 passed, 1 failed, 2 bad usage. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.out(HELP);
    return name === undefined ? 2 : 0;
  }
  const drill = DRILLS.find((candidate) => candidate.name === name);
  try {
    if (drill === undefined) throw new UsageError(`unknown drill "${name}" (expected one of ${DRILLS.map((d) => d.name).join(', ')})`);
    await drill.run(rest, io);
    return 0;
  } catch (error) {
    if (!(error instanceof DrillError)) throw error;
    io.err(`${drill?.name ?? 'drills'}: ${error.message}`);
    if (error instanceof UsageError) io.err(`Run "npm run ${drill?.name ?? '<drill>'} -- --help" for usage.`);
    return error instanceof UsageError ? 2 : 1;
  }
}

/** The real process's output streams. */
export const processIo: Io = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
