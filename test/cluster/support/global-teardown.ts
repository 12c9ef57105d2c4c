import { down, type ClusterState } from '../../../tools/cluster/src/control-plane';
import { CLUSTER_ENV } from './cluster';

export default async function globalTeardown(): Promise<void> {
  const raw = process.env[CLUSTER_ENV];
  if (!raw) return;
  await down((JSON.parse(raw) as ClusterState).dir);
  delete process.env[CLUSTER_ENV];
}
