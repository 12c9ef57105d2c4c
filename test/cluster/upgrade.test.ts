// Upgrades as Argo CD performs them: the previous rendering of an environment, then the
// current one, applied over it (no immutable-field error such as a changed selector); and a
// deploy made with `npm run gitops -- bump`, then undone with `git revert`, brings every
// live object back to what it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { environmentFolders, loadManifests, repoRoot, type KubeObject } from '../support/dist';
import { createTemplate, git, gitops, imageRef } from '../../tools/gitops/test/temp-repo';
import { deploy, get, namespaceOf, serverSideApplyObject } from './support/cluster';

const environments = environmentFolders();
let scratch: string;
beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-upgrade-'));
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/**
 * The commit whose dist/<env> was replaced by the latest change to it: what the cluster ran
 * before the newest deploy of that environment.
 */
function previousRendering(environment: string): { commit: string; dir: string } {
  if (execFileSync('git', ['rev-parse', '--is-shallow-repository'], { cwd: repoRoot, encoding: 'utf8' }).trim() === 'true') {
    throw new Error('the upgrade tests read the previous rendering from git history: clone with full history (actions/checkout fetch-depth: 0)');
  }
  const changes = execFileSync('git', ['log', '--format=%H', '-n', '2', '--', `dist/${environment}`], { cwd: repoRoot, encoding: 'utf8' }).trim().split('\n');
  if (changes.length < 2) throw new Error(`dist/${environment} has no earlier rendering in git history`);
  const commit = changes[1];
  const dir = path.join(scratch, `previous-${environment}`);
  fs.mkdirSync(dir, { recursive: true });
  const archive = execFileSync('git', ['archive', commit, `dist/${environment}`], { cwd: repoRoot });
  execFileSync('tar', ['-x', '-C', dir, '--strip-components=2'], { input: archive });
  return { commit, dir };
}

test.each(environments)('dist/%s of its previous commit, then the current one, applies and rolls out', async (environment) => {
  const previous = previousRendering(environment);
  await deploy(environment, previous.dir);
  await deploy(environment);
});

test('a rendering that changes a Deployment selector is refused as immutable (the upgrade check can fail)', async () => {
  await deploy('dev');
  const deployment = JSON.parse(JSON.stringify(loadManifests().find((m) => m.environment === 'dev' && m.object.kind === 'Deployment')!.object)) as KubeObject;
  deployment.spec.selector.matchLabels['app.kubernetes.io/component'] = deployment.spec.template.metadata.labels['app.kubernetes.io/component'];
  await expect(serverSideApplyObject(deployment, ['--dry-run=server'])).rejects.toThrow(/spec\.selector: Invalid value: .*field is immutable/);
});

/** The parts of a live object a deploy decides (not status, not server-managed metadata). */
async function liveSpec(object: KubeObject): Promise<unknown> {
  const live = await get(object.kind, object.metadata.name, object.metadata.namespace);
  const annotations = { ...live.metadata.annotations };
  // Bookkeeping of the Deployment controller: it counts rollouts, it is no part of the spec.
  delete annotations['deployment.kubernetes.io/revision'];
  const spec = JSON.parse(JSON.stringify(live.spec ?? null));
  if (object.kind === 'Job') {
    // A hook Job is created anew by every sync; its selector names the new object's uid.
    delete spec.selector;
    for (const key of ['batch.kubernetes.io/controller-uid', 'controller-uid']) delete spec.template.metadata.labels[key];
  }
  return { kind: object.kind, name: object.metadata.name, labels: live.metadata.labels, annotations, spec, data: live.data };
}

test('a bump applied, then its `git revert` applied, brings every live object of prod back', async () => {
  const template = createTemplate(scratch);
  const environment = 'prod';
  const objects = loadManifests().filter((m) => m.environment === environment).map((m) => m.object);
  await deploy(environment, path.join(template, 'dist', environment));
  const before = await Promise.all(objects.map(liveSpec));

  const bumped = imageRef('api', 'cluster-upgrade');
  const bump = await gitops(template, 'bump', '--env', environment, '--image', `api=${bumped}`);
  expect(bump.err).toBe('');
  expect(bump.code).toBe(0);
  await deploy(environment, path.join(template, 'dist', environment));
  const api = await get('deployment', 'api', namespaceOf(environment));
  expect(api.spec.template.spec.containers[0].image).toBe(bumped);

  git(template, 'revert', '--no-edit', 'HEAD');
  await deploy(environment, path.join(template, 'dist', environment));
  const after = await Promise.all(objects.map(liveSpec));
  expect(after).toEqual(before);
}, 300_000);
