import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { SOURCE_ROOT, cloneRepo, createTemplate, git, gitops, imageRef, readJson, scratch, sh } from './temp-repo';

let tmp: ReturnType<typeof scratch>;
let template: string;
let origin: string;
let counter = 0;

beforeAll(() => {
  tmp = scratch();
  template = createTemplate(tmp.dir);
});
afterAll(() => tmp.cleanup());
beforeEach(() => {
  origin = path.join(tmp.dir, `origin-${++counter}.git`);
  git(tmp.dir, 'clone', '--quiet', '--bare', template, origin);
});

const clone = (name: string) => cloneRepo(origin, path.join(tmp.dir, `${name}-${counter}`), template);

async function bump(repo: string, env: string, images: string): Promise<void> {
  const result = await gitops(repo, 'bump', '--env', env, '--image', images);
  if (result.code !== 0) throw new Error(result.err);
}

/** What origin's main holds, checked out fresh, with the synth's own drift check. */
function originState(): { root: string; subjects: string[] } {
  const root = clone('verify');
  sh(root, 'node', ['tools/run-ts.cjs', '--bundle-dependencies', 'main.ts', '--check']);
  return { root, subjects: git(root, 'log', '--format=%s').trim().split('\n') };
}

describe('gitops push', () => {
  test('two bumps to different environments made in parallel clones both land after a rebase', async () => {
    const [a, b] = [clone('a'), clone('b')];
    await bump(a, 'dev', `api=${imageRef('api', 1)}`);
    await bump(b, 'test', `front=${imageRef('front', 2)}`);

    expect(await gitops(a, 'push')).toMatchObject({ code: 0, out: expect.stringContaining('attempt 1') });
    const second = await gitops(b, 'push');
    expect(second).toMatchObject({ code: 0, out: expect.stringContaining('attempt 2') });

    const { root, subjects } = originState();
    expect(subjects.slice(0, 2)).toEqual(['deploy(test): front v2', 'deploy(dev): api v1']);
    expect(readJson(root, 'environments/dev.images.json').api).toBe(imageRef('api', 1));
    expect(readJson(root, 'environments/test.images.json').front).toBe(imageRef('front', 2));
    expect(git(root, 'rev-list', '--merges', 'HEAD')).toBe('');
  });

  test('two bumps to the same environment racing: the later one is re-applied on top, none is lost', async () => {
    const [a, b] = [clone('a'), clone('b')];
    await bump(a, 'dev', `api=${imageRef('api', 1)}`);
    await bump(b, 'dev', `api=${imageRef('api', 2)},front=${imageRef('front', 2)}`);

    expect((await gitops(a, 'push')).code).toBe(0);
    const second = await gitops(b, 'push');
    expect(second.code).toBe(0);
    expect(second.err).toContain('re-applying');

    const { root, subjects } = originState();
    expect(subjects.slice(0, 2)).toEqual(['deploy(dev): api v2, front v2', 'deploy(dev): api v1']);
    expect(readJson(root, 'environments/dev.images.json')).toEqual({ api: imageRef('api', 2), front: imageRef('front', 2) });
    const message = git(root, 'log', '-1', '--format=%B');
    expect(message).toContain('- api: v1 -> v2');
    expect(message).toContain('Re-applied on top of');
  });

  test('a racing deploy that origin already contains is dropped rather than duplicated', async () => {
    const [a, b] = [clone('a'), clone('b')];
    await bump(a, 'dev', `api=${imageRef('api', 1)},front=${imageRef('front', 1)}`);
    await bump(b, 'dev', `api=${imageRef('api', 1)}`);
    expect((await gitops(a, 'push')).code).toBe(0);
    const second = await gitops(b, 'push');
    expect(second.code).toBe(0);
    expect(second.err).toContain('dropping');
    const { subjects } = originState();
    expect(subjects.filter((s) => s.startsWith('deploy('))).toEqual(['deploy(dev): api v1, front v1']);
  });

  test('a racing release of an older commit made with --newer-only is dropped when a newer build landed first', async () => {
    const a = clone('a');
    const fs = await import('node:fs');
    const shas = ['older', 'newer'].map((text) => {
      fs.appendFileSync(path.join(a, 'app', 'api', 'CHANGES.test.md'), `${text}\n`);
      git(a, 'add', 'app/api/CHANGES.test.md');
      git(a, 'commit', '--quiet', '-m', text);
      return git(a, 'rev-parse', 'HEAD').trim();
    });
    expect((await gitops(a, 'push')).code).toBe(0);
    const b = clone('b');
    await bump(a, 'dev', `api=${imageRef('api', shas[1])}`);
    const slow = await gitops(b, 'bump', '--env', 'dev', '--newer-only', '--image', `api=${imageRef('api', shas[0])}`);
    expect(slow.code).toBe(0);
    expect((await gitops(a, 'push')).code).toBe(0);
    const second = await gitops(b, 'push');
    expect(second.code).toBe(0);
    expect(second.err).toContain('dropping');
    const { root } = originState();
    expect(readJson(root, 'environments/dev.images.json').api).toBe(imageRef('api', shas[1]));
  });

  test('three clones pushing deploys to dev, test and prod at the same moment all land', async () => {
    const envs = ['dev', 'test', 'prod'];
    const repos = envs.map((env) => clone(env));
    for (const [i, env] of envs.entries()) await bump(repos[i], env, `api=${imageRef('api', 10 + i)}`);
    const launcher = path.join(SOURCE_ROOT, 'tools', 'run-ts.cjs');
    const runs = repos.map((cwd) => new Promise<{ code: number | null; err: string }>((resolve) => {
      const child = spawn(process.execPath, [launcher, path.join(SOURCE_ROOT, 'tools', 'gitops', 'main.ts'), 'push', '--max-delay-ms', '300'], { cwd, env: process.env });
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => { err += chunk.toString(); });
      child.on('close', (code) => resolve({ code, err }));
    }));
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    // Every clone started from the same commit, so at least two pushes must have been rejected once.
    const rejections = results.map((r) => r.err.match(/push rejected/g)?.length ?? 0).reduce((x, y) => x + y, 0);
    expect(rejections).toBeGreaterThanOrEqual(2);
    const { root } = originState();
    for (const [i, env] of envs.entries()) {
      expect(readJson(root, `environments/${env}.images.json`).api).toBe(imageRef('api', 10 + i));
    }
  });

  test('a push that fails for another reason than a race is not retried', async () => {
    const a = clone('a');
    await bump(a, 'dev', `api=${imageRef('api', 1)}`);
    const result = await gitops(a, 'push', '--remote', 'nowhere');
    expect(result.code).toBe(1);
    expect(result.err).toContain('push to nowhere/main failed');
  });
});
