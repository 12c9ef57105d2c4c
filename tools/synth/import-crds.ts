// npm run import [-- --check]
// Regenerates constructs/imports/ (the typed CRD classes) with `cdk8s import` from the
// upstream CRDs at the versions environments/platform.ts pins, read from the Go module cache
// through the .build/crds/ links (cdk8s.yaml lists those paths). --check regenerates into a
// temporary folder and fails if any file differs from the committed one.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repositoryRoot } from '../repo-root';
import { linkCrdFolders } from '../cluster/src/upstream-crds';

const root = repositoryRoot();
const committed = path.join(root, 'constructs', 'imports');

function cdk8sImport(args: string[]): void {
  execFileSync(path.join(root, 'node_modules', '.bin', 'cdk8s'), ['import', '--language', 'typescript', ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    // The CLI checks the npm registry for a newer version of itself on every run.
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
  });
}

/**
 * CRDs imported together as one module per API group (cdk8s.yaml names one file per entry,
 * and two entries of the same group would overwrite each other's module): one multi-document
 * file per group under .build/imports/.
 */
const BUNDLES: Readonly<Record<string, readonly string[]>> = {
  'argoproj.io': ['argo-cd/application-crd.yaml', 'argo-cd/appproject-crd.yaml'],
  'gateway.networking.k8s.io': [
    'gateway-api/gateway.networking.k8s.io_gatewayclasses.yaml',
    'gateway-api/gateway.networking.k8s.io_gateways.yaml',
    'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
  ],
  'cert-manager.io': ['cert-manager/cert-manager.io_certificates.yaml', 'cert-manager/cert-manager.io_clusterissuers.yaml'],
};

function regenerate(output: string): void {
  linkCrdFolders(root);
  const crds = path.join(root, '.build', 'crds');
  const bundles = path.join(root, '.build', 'imports');
  fs.mkdirSync(bundles, { recursive: true });
  for (const [group, files] of Object.entries(BUNDLES)) {
    fs.writeFileSync(path.join(bundles, `${group}.yaml`), files.map((file) => fs.readFileSync(path.join(crds, file), 'utf8')).join('\n---\n'));
  }
  cdk8sImport(['--output', output]);
}

function main(): number {
  const check = process.argv.includes('--check');
  if (!check) {
    regenerate(committed);
    console.log(`regenerated ${path.relative(root, committed)}/`);
    return 0;
  }
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ecodata-imports-'));
  try {
    regenerate(scratch);
    const names = [...new Set([...fs.readdirSync(committed), ...fs.readdirSync(scratch)])].sort();
    const differing = names.filter((name) => {
      const a = path.join(committed, name);
      const b = path.join(scratch, name);
      return !fs.existsSync(a) || !fs.existsSync(b) || !fs.readFileSync(a).equals(fs.readFileSync(b));
    });
    if (differing.length > 0) {
      console.error(`constructs/imports/ differs from a fresh \`npm run import\`: ${differing.join(', ')}`);
      return 1;
    }
    console.log(`constructs/imports/ is what the pinned CRDs generate (${names.length} files)`);
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

process.exit(main());
