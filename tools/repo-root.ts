// The repository root, found from wherever the code runs: its source folder under jest, or
// .build/ when tools/run-ts.cjs bundled it. cdk8s.yaml marks the root.
import fs from 'node:fs';
import path from 'node:path';

export function repositoryRoot(from: string = __dirname): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'cdk8s.yaml'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`cannot find the repository root (cdk8s.yaml) above ${from}`);
  }
}
