// Runs podman with the private configuration that podman-env.sh exported (CONTAINERS_CONF,
// CONTAINERS_STORAGE_CONF, ...); the npm script and CI enter through images.sh, which sets it.
import { execFile } from 'node:child_process';

export interface PodmanResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `podman <args>` and resolves with its output whatever the exit code. */
export function podmanResult(args: readonly string[], timeoutMs = 300_000): Promise<PodmanResult> {
  return new Promise((resolve, reject) => {
    execFile('podman', args, { maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') {
        reject(new Error(`podman ${args.join(' ')}: ${error.message}`, { cause: error }));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

/** Runs `podman <args>` and returns its stdout; a non-zero exit throws with stderr. */
export async function podman(args: readonly string[], timeoutMs?: number): Promise<string> {
  const result = await podmanResult(args, timeoutMs);
  if (result.code !== 0) {
    throw new Error(`podman ${args.join(' ')} exited with ${result.code}: ${(result.stderr || result.stdout).trim()}`);
  }
  return result.stdout;
}
