// One control plane for the whole test run: built (or found in the binary cache), started in
// a temporary folder, and described to the test files through the environment.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildBinaries } from '../../../tools/cluster/src/binaries';
import { killAll, up } from '../../../tools/cluster/src/control-plane';
import { CLUSTER_ENV, STAGES_ENV } from './cluster';
import { writeFailingMigrationStage } from './failing-migration';

export default async function globalSetup(): Promise<void> {
  const binDir = buildBinaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-cluster-test-'));
  const log = (line: string) => process.stderr.write(`cluster: ${line}\n`);
  const stages = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-cluster-stages-'));
  const state = await up({ dir, binDir, extraKwokStages: [writeFailingMigrationStage(stages)], log: process.env.CI ? log : () => undefined });
  // If jest dies without running the teardown, take the processes with it.
  process.once('exit', () => killAll(state));
  process.env[CLUSTER_ENV] = JSON.stringify(state);
  process.env[STAGES_ENV] = stages;
}
