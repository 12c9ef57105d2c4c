import * as fs from 'node:fs';
import * as path from 'node:path';
import { git, gitops, imageRef, readJson, useTemplateClones } from './temp-repo';

let repo: string;
useTemplateClones((clone) => {
  repo = clone;
});

/** Commits a change under app/ and returns its SHA, which release.yml uses as the image tag. */
function appCommit(subject: string): string {
  fs.mkdirSync(path.join(repo, 'app', 'api'), { recursive: true });
  fs.appendFileSync(path.join(repo, 'app', 'api', 'CHANGES.test.md'), `${subject}\n`);
  git(repo, 'add', 'app/api/CHANGES.test.md');
  git(repo, 'commit', '--quiet', '-m', subject);
  return git(repo, 'rev-parse', 'HEAD').trim();
}

describe('gitops promote', () => {
  test('promote dev -> test copies the references, re-renders test and lists the app commits in between', async () => {
    const first = appCommit('api: first feature');
    expect((await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', first)}`)).code).toBe(0);
    expect((await gitops(repo, 'promote', '--from', 'dev', '--to', 'test', '--only', 'api')).code).toBe(0);
    const second = appCommit('api: second feature');
    expect((await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', second)}`)).code).toBe(0);

    const result = await gitops(repo, 'promote', '--from', 'dev', '--to', 'test', '--only', 'api');
    expect(result.code).toBe(0);
    expect(readJson(repo, 'environments/test.images.json').api).toBe(imageRef('api', second));
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe(`deploy(test): promote api ${second.slice(0, 12)}`);
    expect(message).toContain(`- api: ${first.slice(0, 12)} -> ${second.slice(0, 12)}`);
    expect(message).toContain('api: second feature');
    expect(message).not.toContain('api: first feature');
    expect(message).toContain('Deploy-Source-Environment: dev');
    const files = git(repo, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n');
    expect(files.every((file) => file === 'environments/test.images.json' || file.startsWith('dist/test/'))).toBe(true);
  });

  test('promote without --only copies every image that differs', async () => {
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 7)},front=${imageRef('front', 7)}`);
    const result = await gitops(repo, 'promote', '--from', 'dev', '--to', 'test');
    expect(result.code).toBe(0);
    expect(readJson(repo, 'environments/test.images.json')).toEqual(readJson(repo, 'environments/dev.images.json'));
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('deploy(test): promote api v7, front v7');
  });

  test('promote refuses to skip an environment and changes nothing', async () => {
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 8)}`);
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = await gitops(repo, 'promote', '--from', 'dev', '--to', 'prod');
    expect(result.code).toBe(1);
    expect(result.err).toContain('would skip test');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  test('promote refuses to go backwards', async () => {
    const result = await gitops(repo, 'promote', '--from', 'prod', '--to', 'test');
    expect(result.code).toBe(1);
    expect(result.err).toContain('promotion only goes forward');
  });

  test('skipping an environment with --allow-skip and a reason is recorded in the commit', async () => {
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 9)}`);
    const result = await gitops(repo, 'promote', '--from', 'dev', '--to', 'prod', '--only', 'api', '--allow-skip', '--reason', 'hotfix INC-42');
    expect(result.code).toBe(0);
    expect(result.err).toContain('skips test');
    expect(readJson(repo, 'environments/prod.images.json').api).toBe(imageRef('api', 9));
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=Deploy-Override,valueonly)').trim()).toBe('hotfix INC-42');
  });

  test('--allow-skip without a reason is a usage error', async () => {
    const result = await gitops(repo, 'promote', '--from', 'dev', '--to', 'prod', '--allow-skip');
    expect(result.code).toBe(2);
    expect(result.err).toContain('needs a non-empty --reason');
  });

  test('promoting references the target already runs is refused as a no-op', async () => {
    const result = await gitops(repo, 'promote', '--from', 'test', '--to', 'prod');
    expect(result.code).toBe(1);
    expect(result.err).toContain('nothing to do');
  });

  test('prod receives exactly what test runs, not what dev runs', async () => {
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 10)}`);
    await gitops(repo, 'promote', '--from', 'dev', '--to', 'test');
    await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 11)}`);
    expect((await gitops(repo, 'promote', '--from', 'test', '--to', 'prod')).code).toBe(0);
    expect(readJson(repo, 'environments/prod.images.json').api).toBe(imageRef('api', 10));
  });
});
