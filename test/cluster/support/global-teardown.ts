import { down, type ClusterState } from '../../../tools/cluster/src/control-plane';
import fs from 'node:fs';
import { CLUSTER_ENV, STAGES_ENV } from './cluster';

export default async function globalTeardown(): Promise<void> {
  const raw = process.env[CLUSTER_ENV];
  if (!raw) return;
  await down((JSON.parse(raw) as ClusterState).dir);
  delete process.env[CLUSTER_ENV];
  if (process.env[STAGES_ENV]) fs.rmSync(process.env[STAGES_ENV], { recursive: true, force: true });
}
