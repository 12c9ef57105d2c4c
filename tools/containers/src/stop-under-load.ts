// `podman stop` (SIGTERM to PID 1) while requests are running, the way a rollout ends a pod:
// load runs, the manifest's preStop command runs in the container (traffic still arrives, as
// it does until the endpoints update), then new requests stop (endpoints removed) and SIGTERM
// arrives while requests — including long streaming exports — are still in flight. Every
// request must complete successfully and the container must exit 0 within the grace period.
import { podman, podmanResult } from './podman';
import { request, type HttpResponse } from './http';

export interface StopUnderLoadOptions {
  readonly container: string;
  /** Short requests the load cycles through (each must answer 2xx). */
  readonly urls: readonly string[];
  /** Long streaming requests started just before SIGTERM, with a check of their body. */
  readonly slow: { readonly url: string; readonly check: (response: HttpResponse) => string | undefined };
  readonly preStop?: readonly string[];
  readonly graceSeconds: number;
  /** Sent with every request (a bearer token, a session cookie). @default none */
  readonly headers?: Readonly<Record<string, string>>;
  readonly concurrency?: number;
}

export interface StopReport {
  readonly requests: number;
  readonly inFlightAtSigterm: number;
  readonly slowRequests: number;
  readonly preStopSeconds: number;
  readonly stopSeconds: number;
  readonly exitCode: number;
}

export async function stopUnderLoad(options: StopUnderLoadOptions): Promise<StopReport> {
  const failures: string[] = [];
  let issuing = true;
  let requests = 0;
  let inFlight = 0;
  let sigtermAt = 0;
  const phase = () => (sigtermAt === 0 ? 'before SIGTERM' : `${Date.now() - sigtermAt} ms after SIGTERM`);

  const track = async (url: string, check: (response: HttpResponse) => string | undefined) => {
    inFlight += 1;
    requests += 1;
    try {
      const problem = check(await request(url, { headers: options.headers, timeoutMs: 30_000 }));
      if (problem) failures.push(`${url} (${phase()}): ${problem}`);
    } catch (error) {
      failures.push(`${url} (${phase()}): ${(error as Error).message}`);
    } finally {
      inFlight -= 1;
    }
  };
  const ok = (response: HttpResponse) => (response.status >= 200 && response.status < 300 ? undefined : `HTTP ${response.status}`);
  const worker = async (offset: number) => {
    for (let i = offset; issuing; i += 1) await track(options.urls[i % options.urls.length], ok);
  };
  const workers = Array.from({ length: options.concurrency ?? 4 }, (_, i) => worker(i));

  await new Promise((resolve) => setTimeout(resolve, 1_000));
  let preStopSeconds = 0;
  if (options.preStop) {
    const started = Date.now();
    await podman(['exec', options.container, ...options.preStop], 60_000);
    preStopSeconds = (Date.now() - started) / 1000;
  }
  const slow = [0, 1].map(() => track(options.slow.url, (response) => ok(response) ?? options.slow.check(response)));
  await new Promise((resolve) => setTimeout(resolve, 20));
  issuing = false;
  sigtermAt = Date.now();
  const inFlightAtSigterm = inFlight;
  const stop = await podmanResult(['stop', '--time', String(options.graceSeconds), options.container], (options.graceSeconds + 30) * 1000);
  const stopSeconds = (Date.now() - sigtermAt) / 1000;
  await Promise.all([...workers, ...slow]);
  if (stop.code !== 0) failures.push(`podman stop exited with ${stop.code}: ${stop.stderr.trim()}`);

  const exitCode = Number((await podman(['inspect', '--format', '{{.State.ExitCode}}', options.container])).trim());
  if (exitCode !== 0) failures.push(`the container exited with ${exitCode} (137 means it was killed after the grace period)`);
  if (stopSeconds >= options.graceSeconds) failures.push(`stopping took ${stopSeconds} s, not within the ${options.graceSeconds} s grace period`);
  if (failures.length > 0) {
    throw new Error(`stopping ${options.container} under load failed:\n  ${failures.slice(0, 20).join('\n  ')}`);
  }
  return { requests, inFlightAtSigterm, slowRequests: slow.length, preStopSeconds, stopSeconds, exitCode };
}
