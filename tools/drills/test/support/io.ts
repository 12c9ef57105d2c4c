import type { Io } from '../../src/drill';

/** An Io that keeps what a drill prints, for assertions; `env` replaces process.env (API_TOKEN). */
export function captureIo(env: Readonly<Record<string, string | undefined>> = {}): Io & { readonly stdout: () => string; readonly stderr: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env,
    out: (text) => out.push(text),
    err: (text) => err.push(text),
    stdout: () => out.join('\n'),
    stderr: () => err.join('\n'),
  };
}
