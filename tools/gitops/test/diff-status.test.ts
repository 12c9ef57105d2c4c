import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, gitops, imageRef, useTemplateClones } from './temp-repo';

let repo: string;
useTemplateClones((clone) => {
  repo = clone;
});

describe('gitops diff', () => {
  test('diff against the commit before a bump shows the changed Deployment with its image field', async () => {
    const api = imageRef('api', 1);
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${api}`);
    const result = await gitops(repo, 'diff', '--env', 'dev', '--base', 'HEAD~1');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/^### `dist\/dev`: \d+ changed, 0 added, 0 removed/);
    expect(result.out).toMatch(/\| changed \| Deployment \| ecodata-dev\/api \| .*`spec\.template\.spec\.containers\[api\]\.image`/);
    expect(result.out).toContain(`→ \`${api.slice(0, 89)}`);
    expect(result.out).not.toMatch(/\| changed \| Deployment \| ecodata-dev\/front/);
  });

  test('diff of the worktree lists added and removed resources', async () => {
    const dir = path.join(repo, 'dist', 'dev');
    const service = fs.readdirSync(dir).find((file) => /^kind: Service$/m.test(fs.readFileSync(path.join(dir, file), 'utf8')));
    expect(service).toBeDefined();
    fs.rmSync(path.join(dir, service as string));
    fs.writeFileSync(path.join(dir, 'configmap-extra.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: ecodata-dev\ndata:\n  a: "1"\n');
    const result = await gitops(repo, 'diff', '--env', 'dev');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/0 changed, 1 added, 1 removed/);
    expect(result.out).toContain('| added | ConfigMap | ecodata-dev/extra |');
    expect(result.out).toMatch(/\| removed \| Service \| ecodata-dev\/\w+ \|/);
  });

  test('diff with no changes says so', async () => {
    const result = await gitops(repo, 'diff', '--env', 'prod');
    expect(result.code).toBe(0);
    expect(result.out).toContain('0 changed, 0 added, 0 removed');
    expect(result.out).toContain('No rendered changes.');
  });

  test('diff of a folder that does not exist fails clearly', async () => {
    const result = await gitops(repo, 'diff', '--env', 'staging');
    expect(result.code).toBe(1);
    expect(result.err).toContain('dist/staging has no manifests');
  });
});

describe('gitops status', () => {
  test('status shows each environment and image with tag, short digest, deploying commit and age', async () => {
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 42)}`);
    const deploy = git(repo, 'rev-parse', 'HEAD').trim();
    const seed = git(repo, 'rev-list', '--max-parents=0', 'HEAD').trim();
    const result = await gitops(repo, 'status');
    expect(result.code).toBe(0);
    const rows = result.out.split('\n').slice(2);
    expect(rows).toHaveLength(6);
    const digest = imageRef('api', 42).split('@')[1].slice(0, 'sha256:'.length + 12);
    expect(rows[0]).toMatch(new RegExp(`^\\| dev \\| api \\| v42 \\| ${digest} \\| ${deploy.slice(0, 12)} deploy\\(dev\\): api v42 \\| \\d+s \\|$`));
    expect(rows[1]).toMatch(new RegExp(`^\\| dev \\| front \\| placeholder \\| sha256:0{12} \\| ${seed.slice(0, 12)} initial layout \\|`));
    expect(rows.map((row) => row.split('|')[1].trim())).toEqual(['dev', 'dev', 'test', 'test', 'prod', 'prod']);
  });

  test('status --json gives the full references and deploying commits', async () => {
    await gitops(repo, 'bump', '--env', 'test', '--image', `front=${imageRef('front', 5)}`);
    const result = await gitops(repo, 'status', '--json');
    const rows = JSON.parse(result.out) as { env: string; image: string; ref: string; commit: { sha: string } }[];
    const row = rows.find((r) => r.env === 'test' && r.image === 'front');
    expect(row?.ref).toBe(imageRef('front', 5));
    expect(row?.commit.sha).toBe(git(repo, 'rev-parse', 'HEAD').trim());
  });
});
