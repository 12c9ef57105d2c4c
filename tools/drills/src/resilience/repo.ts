// Finds the repository root from wherever this code runs: tools/drills/src/resilience under
// jest, .build/ when bundled by tools/synth/bin.cjs.
import fs from 'node:fs';
import path from 'node:path';

export function repositoryRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'app', 'api', 'scripts', 'build.js'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the repository root (app/api/scripts/build.js) above ${start}`);
  }
}
