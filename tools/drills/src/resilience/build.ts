// Builds the real API and front commands with their own build scripts (the same bundles the
// images run) into a temporary directory.
import fs from 'node:fs';
import path from 'node:path';

export interface Builds {
  /** Directory with server.js and migrate.js of the API. */
  readonly apiDir: string;
  readonly apiMigrationsDir: string;
  /** server.js of the front, with its public/ assets beside its directory; undefined when skipped. */
  readonly frontServer: string | undefined;
}

type BuildFunction = (options: { outdir: string }) => Promise<string>;

function loadBuild(script: string, exported: string): BuildFunction {
  // A runtime require: the build scripts are plain CommonJS in the app workspaces.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(script) as Record<string, BuildFunction>;
  const build = module[exported];
  if (typeof build !== 'function') throw new Error(`${script} does not export ${exported}()`);
  return build;
}

/** Builds the front's server into `<workDir>/front/build/server.js` and returns its path. */
export async function buildFront(root: string, workDir: string): Promise<string> {
  // The front serves ../public relative to its bundle: give the bundle that neighbour.
  const frontDir = path.join(workDir, 'front', 'build');
  await loadBuild(path.join(root, 'app', 'front', 'scripts', 'build.js'), 'buildFront')({ outdir: frontDir });
  // The front's script uses esbuild's async API, whose service process would keep a test
  // runner alive: stop it (the next build starts a new one).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  (require('esbuild') as { stop(): void }).stop();
  fs.symlinkSync(path.join(root, 'app', 'front', 'public'), path.join(workDir, 'front', 'public'));
  return path.join(frontDir, 'server.js');
}

export async function buildCommands(root: string, workDir: string, withFront: boolean): Promise<Builds> {
  const apiDir = path.join(workDir, 'api');
  await loadBuild(path.join(root, 'app', 'api', 'scripts', 'build.js'), 'buildApi')({ outdir: apiDir });
  const frontServer = withFront ? await buildFront(root, workDir) : undefined;
  return { apiDir, apiMigrationsDir: path.join(root, 'app', 'api', 'migrations'), frontServer };
}
