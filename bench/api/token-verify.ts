// `npm run bench:api:token-verify`: CPU per bearer-token check, against a real ES256 access
// token from the local OpenID provider (tools/oidc): the full jose verification (signature,
// claims) with the verified-token cache off, and a cache hit. Not a test: it says whether the
// cache in app/api/src/auth/verifier.ts earns its place (numbers in app/api/README.md).
import { createTokenVerifier } from '../../app/api/src/auth/verifier';
import { testAuthConfig } from '../../app/api/test/support/oidc';
import { startLocalOidcProvider } from '../../tools/oidc/local-provider';

const iterations = Number(process.env.BENCH_ITERATIONS ?? 5000);

async function cpuMicrosPer(run: () => unknown): Promise<{ cpu: number; wall: number }> {
  for (let i = 0; i < Math.min(500, iterations); i++) await run();
  const cpu = process.cpuUsage();
  const wall = performance.now();
  for (let i = 0; i < iterations; i++) await run();
  const used = process.cpuUsage(cpu);
  return { cpu: (used.user + used.system) / iterations, wall: ((performance.now() - wall) * 1000) / iterations };
}

async function main() {
  const provider = await startLocalOidcProvider();
  try {
    const token = await provider.machineToken('station-uploader');
    const config = testAuthConfig({ issuer: provider.issuer });
    const uncached = createTokenVerifier(config, { cacheSize: 0 });
    const cached = createTokenVerifier(config);
    const full = await cpuMicrosPer(() => uncached.verify(token));
    const hit = await cpuMicrosPer(() => cached.verify(token));
    const line = (name: string, r: { cpu: number; wall: number }) => `${name.padEnd(34)} ${r.cpu.toFixed(1).padStart(8)} µs CPU ${r.wall.toFixed(1).padStart(8)} µs wall`;
    console.log(`${iterations} verifications of one ES256 at+jwt (${token.length} bytes), load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
    console.log(line('full check (cache off)', full));
    console.log(line('cache hit', hit));
  } finally {
    await provider.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
