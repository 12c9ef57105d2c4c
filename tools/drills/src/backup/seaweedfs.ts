// The backup drill's object store: SeaweedFS (`weed server`: master, volume server, filer and
// S3 gateway in one process) on 127.0.0.1, built from its Go module by tools/cluster/build.sh.
// A real S3 implementation: barman-cloud talks to it through boto3 with SigV4 signatures
// checked against the one identity the drill configures (fresh random keys each run).
import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from '../../../../app/api/test/support/postgres';
import { logTail, run, startLogged, waitFor } from './commands';

export interface S3Store {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  readonly bucket: string;
  /** What boto3 (and so barman-cloud-*) needs in its environment to reach the store. */
  readonly env: Readonly<Record<string, string>>;
  readonly description: string;
  stop(): Promise<void>;
}

export interface SeaweedfsOptions {
  /** The `weed` binary. */
  readonly weed: string;
  /** Python of the venv with boto3 (creates the bucket). */
  readonly python: string;
  readonly workDir: string;
  readonly bucket: string;
  readonly log: (line: string) => void;
}

const START_TIMEOUT_MS = 60_000;

/** Creates the bucket and round-trips an object: the store is ready when this passes. */
const PROBE = `
import sys, boto3
s3 = boto3.client("s3", endpoint_url=sys.argv[1])
bucket = sys.argv[2]
if bucket not in [b["Name"] for b in s3.list_buckets().get("Buckets", [])]:
    s3.create_bucket(Bucket=bucket)
s3.put_object(Bucket=bucket, Key="drill-probe", Body=b"ok")
assert s3.get_object(Bucket=bucket, Key="drill-probe")["Body"].read() == b"ok"
s3.delete_object(Bucket=bucket, Key="drill-probe")
`;

export async function startSeaweedfs(options: SeaweedfsOptions): Promise<S3Store> {
  const dir = path.join(options.workDir, 'seaweedfs');
  fs.mkdirSync(dir, { recursive: true });
  const accessKey = crypto.randomBytes(10).toString('hex');
  const secretKey = crypto.randomBytes(20).toString('hex');
  const s3Config = path.join(dir, 's3.json');
  fs.writeFileSync(s3Config, JSON.stringify({ identities: [{ name: 'drill', credentials: [{ accessKey, secretKey }], actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'] }] }), { mode: 0o600 });

  const ports = { master: 0, masterGrpc: 0, volume: 0, volumeGrpc: 0, filer: 0, filerGrpc: 0, s3: 0, s3Grpc: 0 };
  for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await freePort();
  const args = [
    'server',
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-dir=${dir}`,
    `-master.port=${ports.master}`,
    `-master.port.grpc=${ports.masterGrpc}`,
    // Small volumes: the default 30 GB limit is meant for disks, not a drill.
    '-master.volumeSizeLimitMB=64',
    `-volume.port=${ports.volume}`,
    `-volume.port.grpc=${ports.volumeGrpc}`,
    '-volume.max=16',
    '-filer',
    `-filer.port=${ports.filer}`,
    `-filer.port.grpc=${ports.filerGrpc}`,
    '-s3',
    `-s3.port=${ports.s3}`,
    `-s3.port.grpc=${ports.s3Grpc}`,
    `-s3.config=${s3Config}`,
    // Not needed here; 0 turns them off instead of taking fixed ports.
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
  ];
  const logFile = path.join(dir, 'weed.log');
  const child: ChildProcess = startLogged(options.weed, args, logFile, { env: { ...process.env, HOME: dir } });
  let exited = false;
  child.once('exit', () => (exited = true));
  const stop = async () => {
    if (exited) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await gone;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${ports.s3}`;
  const env = {
    AWS_ACCESS_KEY_ID: accessKey,
    AWS_SECRET_ACCESS_KEY: secretKey,
    AWS_DEFAULT_REGION: 'us-east-1',
    // Never a credentials or config file of the machine.
    AWS_CONFIG_FILE: path.join(dir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-aws-credentials'),
  };
  try {
    await waitFor(
      `SeaweedFS S3 on ${endpoint} to accept a bucket and an object`,
      async () => {
        if (exited) throw new Error(`weed exited:\n${logTail(logFile)}`);
        await run(options.python, ['-c', PROBE, endpoint, options.bucket], { env: { ...process.env, ...env } });
        return true;
      },
      START_TIMEOUT_MS,
      500,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${logTail(logFile)}`, { cause: error });
  }
  const version = (await run(options.weed, ['version'], { env: process.env }).catch(() => 'version unknown')).trim().split('\n')[0];
  options.log(`SeaweedFS (${version}) S3 on ${endpoint}, bucket ${options.bucket}`);
  return { endpoint, bucket: options.bucket, env, description: `SeaweedFS ${version}`, stop };
}
