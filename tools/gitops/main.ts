// Entry point of `npm run gitops` (node tools/run-ts.cjs tools/gitops/main.ts <command> ...).
import { main, processContext } from './src/cli';

main(process.argv.slice(2), processContext()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
