// kubectl from the cluster's own bin folder, against the cluster's kubeconfig.
import { spawn } from 'node:child_process';
import path from 'node:path';

export interface KubectlTarget {
  readonly binDir: string;
  readonly kubeconfig: string;
}

export class KubectlError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`kubectl ${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`);
    this.name = 'KubectlError';
  }
}

/** What a successful kubectl printed: stdout, and stderr (warnings such as Pod Security's). */
export interface KubectlOutput {
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs kubectl, feeding `input` on stdin; resolves both outputs, rejects with KubectlError. */
export function kubectlOutput(target: KubectlTarget, args: readonly string[], input?: string): Promise<KubectlOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(target.binDir, 'kubectl'), [`--kubeconfig=${target.kubeconfig}`, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve({ stdout, stderr }) : reject(new KubectlError(args, code, stdout, stderr))));
    child.stdin.end(input ?? '');
  });
}

/** Runs kubectl, feeding `input` on stdin; resolves stdout, rejects with KubectlError. */
export async function kubectl(target: KubectlTarget, args: readonly string[], input?: string): Promise<string> {
  return (await kubectlOutput(target, args, input)).stdout;
}
