// Entry point of `npm run smoke|load|resilience|monitoring-check`: the root scripts run it
// through tools/run-ts.cjs, which bundles it with
// esbuild once and caches the bundle, so a drill starts in a fraction of a second.
import { main, processIo } from './src/cli';

main(process.argv.slice(2), processIo).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
