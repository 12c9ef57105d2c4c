import { git, gitops, imageRef, readJson, snapshot, useTemplateClones } from './temp-repo';

let repo: string;
useTemplateClones((clone) => {
  repo = clone;
});

const bump = async (env: string, seed: number) => {
  const result = await gitops(repo, 'bump', '--env', env, '--image', `api=${imageRef('api', seed)}`);
  if (result.code !== 0) throw new Error(result.err);
};

describe('gitops rollback', () => {
  test('rollback reverts the latest deploy of the environment in a new linear commit', async () => {
    await bump('prod', 1);
    const before = snapshot(repo);
    const beforeHead = git(repo, 'rev-parse', 'HEAD').trim();
    await bump('prod', 2);
    const deploy = git(repo, 'rev-parse', 'HEAD').trim();
    await bump('dev', 3);

    const result = await gitops(repo, 'rollback', '--env', 'prod');
    expect(result.code).toBe(0);
    expect(readJson(repo, 'environments/prod.images.json').api).toBe(imageRef('api', 1));
    // Only prod changed back; the later dev deploy stays.
    expect(readJson(repo, 'environments/dev.images.json').api).toBe(imageRef('api', 3));
    const prodFiles = (snap: Map<string, string>) => [...snap].filter(([file]) => file.includes('prod'));
    expect(prodFiles(snapshot(repo))).toEqual(prodFiles(before));
    expect(git(repo, 'diff', beforeHead, 'HEAD', '--', 'dist/prod', 'environments/prod.images.json')).toBe('');
    expect(git(repo, 'rev-list', '--merges', 'HEAD')).toBe('');
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('deploy(prod): roll back to api v1');
    expect(message).toContain(`This reverts commit ${deploy}`);
    expect(message).toContain(`Deploy-Reverts: ${deploy}`);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('a second rollback goes one more deploy back instead of undoing the first', async () => {
    await bump('prod', 1);
    await bump('prod', 2);
    await bump('prod', 3);
    expect((await gitops(repo, 'rollback', '--env', 'prod')).code).toBe(0);
    expect(readJson(repo, 'environments/prod.images.json').api).toBe(imageRef('api', 2));
    expect((await gitops(repo, 'rollback', '--env', 'prod')).code).toBe(0);
    expect(readJson(repo, 'environments/prod.images.json').api).toBe(imageRef('api', 1));
  });

  test('rollback --to reverts every deploy of the environment after that commit in one commit', async () => {
    await bump('test', 1);
    const target = git(repo, 'rev-parse', 'HEAD').trim();
    const before = snapshot(repo);
    await bump('test', 2);
    await gitops(repo, 'bump', '--env', 'test', '--image', `front=${imageRef('front', 3)}`);
    const head = git(repo, 'rev-parse', 'HEAD').trim();

    const result = await gitops(repo, 'rollback', '--env', 'test', '--to', target.slice(0, 12));
    expect(result.code).toBe(0);
    expect(snapshot(repo)).toEqual(before);
    expect(git(repo, 'rev-list', '--count', `${head}..HEAD`).trim()).toBe('1');
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=Deploy-Reverts,valueonly)').trim().split('\n')).toHaveLength(2);
  });

  test('rollback with nothing to revert fails and leaves the repository untouched', async () => {
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = await gitops(repo, 'rollback', '--env', 'prod');
    expect(result.code).toBe(1);
    expect(result.err).toContain('nothing to roll back');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  test('rollback --to an unknown commit is a clear error', async () => {
    const result = await gitops(repo, 'rollback', '--env', 'prod', '--to', 'does-not-exist');
    expect(result.code).toBe(1);
    expect(result.err).toContain('"does-not-exist" is not a commit');
  });
});
