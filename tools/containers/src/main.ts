// `npm run images` runs images.sh, which builds the images and then this: the container smoke
// test and the kube-play run of the synthesized pod specs, against one throwaway PostgreSQL
// (or DATABASE_URL), each in its own fresh database.
import { Client } from 'pg';
import { freePort, startPostgres } from '../../../app/api/test/support/postgres';
import { startLocalOidcProvider } from '../../oidc/local-provider';
import { readDeployment, readJob } from './manifests';
import { playPods } from './pods';
import { smoke } from './smoke';

interface Args {
  readonly apiImage: string;
  readonly frontImage: string;
  readonly distDir: string;
  readonly env: string;
  readonly phases: readonly string[];
}

const PHASES = ['smoke', 'pods'];
const USAGE = 'usage: main --api-image <ref> --front-image <ref> [--dist <dir>] [--env dev] [--only smoke|pods]';

export function parseArgs(argv: readonly string[]): Args {
  const values = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (!['--api-image', '--front-image', '--dist', '--env', '--only'].includes(flag) || value === undefined) {
      throw new Error(`unexpected argument ${flag}\n${USAGE}`);
    }
    values.set(flag, value);
  }
  const apiImage = values.get('--api-image');
  const frontImage = values.get('--front-image');
  if (!apiImage || !frontImage) throw new Error(`--api-image and --front-image are required\n${USAGE}`);
  const only = values.get('--only');
  if (only !== undefined && !PHASES.includes(only)) throw new Error(`--only must be one of ${PHASES.join(', ')}\n${USAGE}`);
  return { apiImage, frontImage, distDir: values.get('--dist') ?? 'dist', env: values.get('--env') ?? 'dev', phases: only ? [only] : PHASES };
}

async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function main(argv: readonly string[]): Promise<number> {
  const args = parseArgs(argv);
  const log = (line: string) => console.log(`containers: ${line}`);
  const api = readDeployment(args.distDir, args.env, 'api');
  const front = readDeployment(args.distDir, args.env, 'front');
  const migrate = readJob(args.distDir, args.env, 'migrate');
  const ports = new Map<string, { apiPort: number; frontPort: number; apiManagementPort: number; frontManagementPort: number }>();
  for (const phase of args.phases) {
    ports.set(phase, { apiPort: await freePort(), frontPort: await freePort(), apiManagementPort: await freePort(), frontManagementPort: await freePort() });
  }
  const frontUrls = [...ports.values()].map((p) => `http://127.0.0.1:${p.frontPort}`);
  // The containers run with host networking, so they reach the provider on 127.0.0.1 too.
  const oidc = await startLocalOidcProvider({
    frontRedirectUris: frontUrls.map((url) => `${url}/auth/callback`),
    frontPostLogoutRedirectUris: frontUrls.map((url) => `${url}/`),
  });
  const postgres = await startPostgres();
  try {
    log(`local OpenID provider at ${oidc.issuer}`);
    for (const phase of args.phases) {
      const started = Date.now();
      const common = {
        api, front, migrate, apiImage: args.apiImage, frontImage: args.frontImage, log,
        databaseUrl: await freshDatabase(postgres.url, `ecodata_${phase}_${process.pid}`),
        ...ports.get(phase)!,
        oidc: { issuer: oidc.issuer, editorToken: await oidc.machineToken('station-uploader') },
      };
      if (phase === 'smoke') await smoke(common);
      else await playPods(common);
      log(`${phase}: passed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    }
  } finally {
    await postgres.stop();
    await oidc.stop();
  }
  return 0;
}
