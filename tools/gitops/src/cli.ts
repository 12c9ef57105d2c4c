import { type Command, type Context } from './command';
import { bump } from './commands/bump';
import { diff } from './commands/diff';
import { promote } from './commands/promote';
import { push } from './commands/push';
import { rollback } from './commands/rollback';
import { status } from './commands/status';
import { GitopsError, UsageError } from './errors';

export const COMMANDS: readonly Command[] = [bump, promote, rollback, diff, status, push];

const HELP = `Usage: npm run gitops -- <command> [options]

Delivers EcoData by editing environments/<env>.images.json, re-rendering dist/<env> and
committing; Argo CD deploys whatever lands on main.

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(10)} ${command.summary}`).join('\n')}

Run "npm run gitops -- <command> --help" for a command's options.`;

/** Runs the CLI and returns the exit code: 0 success, 1 failure, 2 bad usage. */
export async function main(argv: readonly string[], context: Context): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    context.out(HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command "${name}" (expected one of ${COMMANDS.map((c) => c.name).join(', ')})`);
    await command.run(rest, context);
    return 0;
  } catch (error) {
    if (!(error instanceof GitopsError)) throw error;
    context.err(`${command ? `gitops ${command.name}` : 'gitops'}: ${error.message}`);
    if (error instanceof UsageError) context.err(`Run "npm run gitops -- ${command ? `${command.name} ` : ''}--help" for usage.`);
    return error instanceof UsageError ? 2 : 1;
  }
}

export const processContext = (): Context => ({
  cwd: process.cwd(),
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});
