// `npm run bench:api:profile -- [by-id|list|post] [connections]`: where each request's CPU
// time goes, in the API and in the bare server (and, by layer, in the Koa + @koa/router floor
// koa-floor.ts), under the same load. Each server runs alone
// with `node --cpu-prof` (the API with the image's flags too); only the samples taken while
// autocannon was measuring count. Prints µs of main-thread CPU per request by package /
// source file (self time, mapped through the bundles' source maps), the top functions, and
// GC totals (from --trace-gc-nvp). The .cpuprofile files are kept (path printed) for
// Chrome DevTools or speedscope. PROFILE_SECONDS (10), PROFILE_INTERVAL_US (250),
// BENCH_API_NODE_ARGS (the image's flags).
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { buildCommands, imageNodeArgs } from '../../app/api/test/support/build';
import { createTestDatabase } from '../../app/api/test/support/database';
import { startPostgres } from '../../app/api/test/support/postgres';
import { seedMeasurements } from './seed';
import { layerOf, layers } from './layers';
import { buildBenchServer, cpuMs, launch, scenarios, seedRows, startBenchAuth, stop, type BenchAuth, type Scenario } from './servers';

let auth: BenchAuth;

const scenario = scenarios.find((s) => s.id === (process.argv[2] ?? 'by-id'));
const connections = Number(process.argv[3] ?? 10);
const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const intervalUs = Number(process.env.PROFILE_INTERVAL_US ?? 250);
// The image's node flags unless BENCH_API_NODE_ARGS says otherwise, as in run.ts.
const apiNodeArgs = process.env.BENCH_API_NODE_ARGS?.split(' ').filter(Boolean) ?? imageNodeArgs();

interface CallFrame { functionName: string; url: string; lineNumber: number; columnNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface CpuProfile { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] }

/** `cpuUs`: the process's user+system CPU over the measured seconds (/proc), all threads. */
interface Measured { requests: number; profile: CpuProfile; window: [number, number]; gc: string; file: string; cpuUs: number }

async function main() {
  if (!scenario) throw new Error(`scenario must be one of ${scenarios.map((s) => s.id).join(', ')}`);
  const pgServer = await startPostgres();
  const database = await createTestDatabase(pgServer.url);
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-profile-'));
  auth = await startBenchAuth();
  try {
    await seedMeasurements(database.url, seedRows);
    const dir = await buildCommands();
    const api = await measure('api', path.join(dir, 'server.js'), apiNodeArgs, database.url, outDir);
    const bare = await measure('bare', buildBenchServer(dir, 'bare'), [], database.url, outDir);
    const floor = await measure('floor', buildBenchServer(dir, 'koa-floor'), [], database.url, outDir);
    report(api, bare, floor);
    console.log(`\nProfiles: ${api.file}, ${bare.file} and ${floor.file} (open in Chrome DevTools > Performance, or speedscope).`);
  } finally {
    await auth.stop();
    await database.drop();
    await pgServer.stop();
  }
}

async function measure(name: string, file: string, nodeArgs: string[], databaseUrl: string, outDir: string): Promise<Measured> {
  const profileDir = path.join(outDir, name);
  const gcLog = path.join(outDir, `${name}-gc.log`);
  const flags = [...nodeArgs, '--cpu-prof', `--cpu-prof-dir=${profileDir}`, `--cpu-prof-interval=${intervalUs}`, '--trace-gc-nvp'];
  // --trace-gc-nvp writes to stdout: the server's stdout goes to the log file.
  const log = fs.openSync(gcLog, 'a');
  const server = await launch(file, databaseUrl, flags, auth, log);
  await run(server.port, 3); // warm-up: JIT and prepared statements on every pooled connection
  const marker = '--- measured ---';
  fs.writeSync(log, `${marker}\n`);
  const cpuBefore = cpuMs(server.child.pid!);
  const start = process.hrtime.bigint();
  const requests = await run(server.port, seconds);
  const end = process.hrtime.bigint();
  const cpuUs = (cpuMs(server.child.pid!) - cpuBefore) * 1000;
  fs.writeSync(log, '--- end ---\n');
  await stop(server); // the profile is written at exit
  fs.closeSync(log);
  const profileFile = path.join(profileDir, fs.readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'))!);
  const profile = JSON.parse(fs.readFileSync(profileFile, 'utf8')) as CpuProfile;
  const gc = fs.readFileSync(gcLog, 'utf8').split(marker)[1]?.split('--- end ---')[0] ?? '';
  // The profile's timestamps and process.hrtime() both read CLOCK_MONOTONIC, in µs and ns.
  return { requests, profile, window: [Number(start / 1000n), Number(end / 1000n)], gc, file: profileFile, cpuUs };
}

async function run(port: number, duration: number): Promise<number> {
  const s = scenario as Scenario;
  const result = await autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration,
    requests: [{ method: s.method, setupRequest: (req) => ({ ...req, path: s.path(), body: s.body, headers: { 'content-type': 'application/json', ...auth.headers } }) }],
  });
  if (result.non2xx || result.errors) throw new Error(`${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.total;
}

interface Usage { perGroup: Map<string, number>; perFunction: Map<string, number>; totalUs: number }

/** Self time (µs) per group and per function, over the samples inside the measured window. */
function usage({ profile, window, file }: Measured): Usage {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const maps = new Map<string, SourceMap | null>();
  const locate = (frame: CallFrame): { group: string; where: string } => {
    if (!frame.url) return { group: frame.functionName.startsWith('(') ? frame.functionName : `(native) ${frame.functionName}`, where: '' };
    if (frame.url.startsWith('node:')) return { group: `node:${frame.url.slice(5).split('/')[0]}`, where: frame.url };
    const bundle = frame.url.replace(/^file:\/\//, '');
    if (!maps.has(bundle)) {
      const mapFile = `${bundle}.map`;
      maps.set(bundle, fs.existsSync(mapFile) ? new SourceMap(JSON.parse(fs.readFileSync(mapFile, 'utf8'))) : null);
    }
    const entry = maps.get(bundle)?.findEntry(frame.lineNumber, frame.columnNumber) as { originalSource?: string; originalLine?: number } | undefined;
    const source = entry?.originalSource ?? bundle;
    const where = `${source.replace(/^(\.\.\/)+/, '')}:${(entry?.originalLine ?? frame.lineNumber) + 1}`;
    const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source)?.[1];
    if (pkg) return { group: pkg, where };
    const own = /(app\/api\/src\/.*|bench\/api\/.*)$/.exec(source)?.[1];
    return { group: own ?? source, where };
  };
  const cache = new Map<number, { group: string; fn: string }>();
  const perGroup = new Map<string, number>();
  const perFunction = new Map<string, number>();
  let totalUs = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i];
    // Each sample stands for the interval that follows it.
    const us = profile.timeDeltas[i + 1] ?? 0;
    if (time < window[0] || time > window[1]) continue;
    const node = byId.get(profile.samples[i])!;
    if (node.callFrame.functionName === '(idle)') continue;
    let known = cache.get(node.id);
    if (!known) {
      const { group, where } = locate(node.callFrame);
      known = { group, fn: `${node.callFrame.functionName || '(anonymous)'} ${where}`.trim() };
      cache.set(node.id, known);
    }
    perGroup.set(known.group, (perGroup.get(known.group) ?? 0) + us);
    perFunction.set(known.fn, (perFunction.get(known.fn) ?? 0) + us);
    totalUs += us;
  }
  if (!totalUs) console.warn(`${file}: no sample inside the measured window (clock mismatch?)`);
  return { perGroup, perFunction, totalUs };
}

/** Scavenges, mark-compacts, their pause time and bytes promoted, from --trace-gc-nvp lines. */
function gcTotals(trace: string) {
  const totals = { scavenges: 0, scavengeMs: 0, markCompacts: 0, markCompactMs: 0, promoted: 0 };
  for (const line of trace.split('\n')) {
    const kind = / gc=(\w+) /.exec(line)?.[1];
    if (!kind) continue;
    const field = (name: string) => Number(new RegExp(` ${name}=([\\d.]+)`).exec(line)?.[1] ?? 0);
    totals.promoted += field('promoted');
    if (kind === 's') {
      totals.scavenges++;
      totals.scavengeMs += field('pause');
    } else {
      totals.markCompacts++;
      totals.markCompactMs += field('pause');
    }
  }
  return totals;
}

function report(api: Measured, bare: Measured, floor: Measured) {
  const [a, b, f] = [usage(api), usage(bare), usage(floor)];
  const perRequest = (us: number, m: Measured) => us / m.requests;
  console.log(`${scenario!.name}, ${connections} connections, ${seconds} s per server, sampling every ${intervalUs} µs; load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} CPUs`);
  console.log(`API: ${api.requests} requests (${Math.round(api.requests / seconds)}/s); bare: ${bare.requests} (${Math.round(bare.requests / seconds)}/s)\n`);
  console.log('Main-thread CPU µs per request, self time by package or source file (GC and native code included):\n');
  console.log('| where | API µs/req | bare µs/req | difference |');
  console.log('|---|---|---|---|');
  const groups = [...new Set([...a.perGroup.keys(), ...b.perGroup.keys()])]
    .map((group) => ({ group, a: perRequest(a.perGroup.get(group) ?? 0, api), b: perRequest(b.perGroup.get(group) ?? 0, bare) }))
    .sort((x, y) => Math.max(y.a, y.b) - Math.max(x.a, x.b));
  const shown = groups.filter((g) => Math.max(g.a, g.b) >= 0.5);
  for (const g of shown) console.log(`| ${g.group} | ${g.a.toFixed(1)} | ${g.b.toFixed(1)} | ${(g.a - g.b >= 0 ? '+' : '') + (g.a - g.b).toFixed(1)} |`);
  const rest = groups.filter((g) => !shown.includes(g));
  if (rest.length) console.log(`| ${rest.length} others | ${rest.reduce((s, g) => s + g.a, 0).toFixed(1)} | ${rest.reduce((s, g) => s + g.b, 0).toFixed(1)} | |`);
  console.log(`| **total** | **${perRequest(a.totalUs, api).toFixed(1)}** | **${perRequest(b.totalUs, bare).toFixed(1)}** | **+${(perRequest(a.totalUs, api) - perRequest(b.totalUs, bare)).toFixed(1)}** |`);

  // The same samples by layer (bench/api/layers.ts), for the API, the Koa + @koa/router floor
  // (koa-floor.ts) and the bare server: API - floor is what the API's own code costs, floor -
  // bare what Koa and the router cost.
  console.log('\nThe same by layer (µs per request; bench/api/layers.ts), with the Koa + @koa/router floor (koa-floor.ts) profiled alone under the same load:\n');
  console.log('| layer | API | floor | bare | API - floor | floor - bare |');
  console.log('|---|---|---|---|---|---|');
  const byLayer = (perGroup: Map<string, number>, m: Measured) => {
    const totals = new Map<string, number>();
    for (const [group, us] of perGroup) totals.set(layerOf(group), (totals.get(layerOf(group)) ?? 0) + perRequest(us, m));
    return totals;
  };
  const signed = (n: number) => (n >= 0 ? '+' : '') + n.toFixed(1);
  const [la, lf, lb] = [byLayer(a.perGroup, api), byLayer(f.perGroup, floor), byLayer(b.perGroup, bare)];
  for (const layer of layers) {
    const [x, z, y] = [la.get(layer.name) ?? 0, lf.get(layer.name) ?? 0, lb.get(layer.name) ?? 0];
    if (x || y || z) console.log(`| ${layer.name} | ${x.toFixed(1)} | ${z.toFixed(1)} | ${y.toFixed(1)} | ${signed(x - z)} | ${signed(z - y)} |`);
  }
  const [ta, tf, tb] = [perRequest(a.totalUs, api), perRequest(f.totalUs, floor), perRequest(b.totalUs, bare)];
  console.log(`| **total** | **${ta.toFixed(1)}** | **${tf.toFixed(1)}** | **${tb.toFixed(1)}** | **${signed(ta - tf)}** | **${signed(tf - tb)}** |`);
  // Sampled time includes time spent descheduled inside a syscall (see app/api/README.md,
  // Profiling); the kernel's count of CPU time does not, and covers GC and other threads.
  const [ca, cf, cb] = [perRequest(api.cpuUs, api), perRequest(floor.cpuUs, floor), perRequest(bare.cpuUs, bare)];
  console.log(`\nCPU time per request from /proc (user+system, all threads, no descheduled time): API ${ca.toFixed(1)} µs, floor ${cf.toFixed(1)} µs, bare ${cb.toFixed(1)} µs (API - floor ${signed(ca - cf)}, floor - bare ${signed(cf - cb)}); requests/s while profiled: API ${Math.round(api.requests / seconds)}, floor ${Math.round(floor.requests / seconds)}, bare ${Math.round(bare.requests / seconds)}.`);

  // Functions by self time, with the floor's: the first table says where the time goes, the
  // second what the API spends beyond Koa and @koa/router (what there is left to remove).
  const functionRows = [...new Set([...a.perFunction.keys(), ...b.perFunction.keys(), ...f.perFunction.keys()])].map((fn) => ({
    fn,
    a: perRequest(a.perFunction.get(fn) ?? 0, api),
    f: perRequest(f.perFunction.get(fn) ?? 0, floor),
    b: perRequest(b.perFunction.get(fn) ?? 0, bare),
  }));
  const functionTable = (title: string, rows: typeof functionRows) => {
    console.log(`\n${title} (µs per request):\n`);
    console.log('| function | API | floor | bare | API - floor |');
    console.log('|---|---|---|---|---|');
    for (const row of rows) console.log(`| ${row.fn.replace(/\|/g, '\\|')} | ${row.a.toFixed(1)} | ${row.f.toFixed(1)} | ${row.b.toFixed(1)} | ${signed(row.a - row.f)} |`);
  };
  functionTable('Top 30 functions by self time in any server', [...functionRows].sort((x, y) => Math.max(y.a, y.f, y.b) - Math.max(x.a, x.f, x.b)).slice(0, 30));
  functionTable('Top 30 functions by what the API spends beyond the floor', [...functionRows].sort((x, y) => y.a - y.f - (x.a - x.f)).slice(0, 30));

  console.log('\nGC while measuring:\n');
  console.log('| server | scavenges | scavenge µs/req | mark-compacts | mark-compact µs/req | promoted B/req |');
  console.log('|---|---|---|---|---|---|');
  for (const [name, m] of [['API', api], ['floor', floor], ['bare', bare]] as const) {
    const gc = gcTotals(m.gc);
    console.log(`| ${name} | ${gc.scavenges} | ${((gc.scavengeMs * 1000) / m.requests).toFixed(1)} | ${gc.markCompacts} | ${((gc.markCompactMs * 1000) / m.requests).toFixed(1)} | ${(gc.promoted / m.requests).toFixed(0)} |`);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
