// `npm run seed`: imports demo measurements into the running API (API_URL, by default the dev
// stack's http://127.0.0.1:3001) through its CSV import endpoint, like a station would: with a
// client-credentials token of the local provider's `station-uploader` (an editor), or API_TOKEN.
import { parseArgs } from 'node:util';
import { localMachineToken } from '../oidc/local-provider';
import { demoCsv } from './demo-data';

const usage = `Usage: npm run seed [-- --help]

Imports demo measurements into a running API through its CSV import endpoint, as a user would.

Environment:
  API_URL   the API's base URL (default http://127.0.0.1:$API_PORT)
  API_PORT  the dev stack's API port (default 3001; see npm run dev)
  API_TOKEN a bearer access token with the editor role (default: a client-credentials token
            of the local OpenID provider's station-uploader client, at OIDC_ISSUER,
            default http://127.0.0.1:$DEV_OIDC_PORT, port 3002)

Options:
  -h, --help  print this help and exit`;

async function main(argv: string[]): Promise<void> {
  let help: boolean | undefined;
  try {
    ({ values: { help } } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(`[seed] ${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  if (help) {
    console.log(usage);
    return;
  }
  const apiUrl = (process.env.API_URL ?? `http://127.0.0.1:${process.env.API_PORT ?? 3001}`).replace(/\/+$/, '');
  const csv = demoCsv(new Date());
  const issuer = process.env.OIDC_ISSUER ?? `http://127.0.0.1:${process.env.DEV_OIDC_PORT ?? 3002}`;
  let token = process.env.API_TOKEN;
  if (!token) {
    try {
      token = await localMachineToken(issuer, 'station-uploader');
    } catch (error) {
      throw new Error(`cannot get a token from the local OpenID provider at ${issuer} (is \`npm run dev\` running? or set API_TOKEN): ${(error as Error).message}`, { cause: error });
    }
  }
  let response: Response;
  try {
    response = await fetch(`${apiUrl}/api/measurements/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv; charset=utf-8' },
      body: csv,
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    throw new Error(`cannot reach the API at ${apiUrl} (is \`npm run dev\` running?): ${(error as Error).message}`, { cause: error });
  }
  const body = await response.text();
  if (response.status !== 201) throw new Error(`the API refused the demo data (${response.status}): ${body}`);
  console.log(`[seed] imported ${(JSON.parse(body) as { imported: number }).imported} demo measurements into ${apiUrl}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`[seed] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
