// Entry point of the container checks that images.sh runs (node tools/run-ts.cjs
// tools/containers/main.ts --api-image ... --front-image ...).
import { main } from './src/main';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`containers: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
