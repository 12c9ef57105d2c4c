import * as path from 'node:path';
import { git, gitops, imageRef, readJson, snapshot, useTemplateClones } from './temp-repo';

let repo: string;
useTemplateClones((clone) => {
  repo = clone;
});

describe('gitops bump', () => {
  test('bump writes the images file, re-renders dist/dev and commits both with deploy trailers', async () => {
    const api = imageRef('api', 1);
    const result = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${api}`);
    expect(result).toMatchObject({ code: 0 });
    expect(readJson(repo, 'environments/dev.images.json').api).toBe(api);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    const files = git(repo, 'show', '--name-only', '--format=', 'HEAD').trim().split('\n');
    expect(files).toContain('environments/dev.images.json');
    expect(files.every((file) => file === 'environments/dev.images.json' || file.startsWith('dist/dev/'))).toBe(true);
    expect(git(repo, 'grep', '-l', api, 'HEAD', '--', 'dist/dev').trim()).not.toBe('');
    const message = git(repo, 'log', '-1', '--format=%B');
    expect(message.split('\n')[0]).toBe('deploy(dev): api v1');
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=Deploy-Image-api,valueonly)').trim()).toBe(api);
    expect(git(repo, 'log', '-1', '--format=%(trailers:key=Deploy-Environment,valueonly)').trim()).toBe('dev');
  });

  test('bumping two images at once names both in the subject', async () => {
    const result = await gitops(repo, 'bump', '--env', 'test', '--image', `api=${imageRef('api', 2)},front=${imageRef('front', 2)}`);
    expect(result.code).toBe(0);
    expect(git(repo, 'log', '-1', '--format=%s').trim()).toBe('deploy(test): api v2, front v2');
  });

  test('after bump then git revert the environment files are byte-identical to before', async () => {
    const before = snapshot(repo);
    const treeBefore = git(repo, 'rev-parse', 'HEAD^{tree}');
    expect((await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 3)},front=${imageRef('front', 3)}`)).code).toBe(0);
    expect(snapshot(repo)).not.toEqual(before);
    git(repo, 'revert', '--no-edit', 'HEAD');
    expect(git(repo, 'rev-parse', 'HEAD^{tree}')).toBe(treeBefore);
    expect(snapshot(repo)).toEqual(before);
  });

  test.each([
    ['no digest', 'ghcr.io/ecodata/ecodata-api:v1', /no @sha256/],
    ['the tag latest', `ghcr.io/ecodata/ecodata-api:latest@sha256:${'a'.repeat(64)}`, /"latest" is not allowed/],
    ['a short digest', `ghcr.io/ecodata/ecodata-api:v1@sha256:${'a'.repeat(63)}`, /invalid reference/],
    ['the wrong repository', imageRef('front', 1), /expected "ecodata-api"/],
  ])('a reference with %s is refused and the repository is left untouched', async (_case, ref, message) => {
    const head = git(repo, 'rev-parse', 'HEAD');
    const before = snapshot(repo);
    const result = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${ref}`);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(snapshot(repo)).toEqual(before);
  });

  test('an unknown image name is refused with the names the environment knows', async () => {
    const result = await gitops(repo, 'bump', '--env', 'dev', '--image', `worker=${imageRef('worker', 1)}`);
    expect(result.code).toBe(1);
    expect(result.err).toContain('unknown image "worker"');
    expect(result.err).toContain('api, front');
  });

  test('a bump that changes nothing is refused and makes no commit', async () => {
    const current = readJson(repo, 'environments/dev.images.json').api;
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${current}`);
    expect(result.code).toBe(1);
    expect(result.err).toContain('nothing to do');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
  });

  test('a bump in a dirty worktree is refused before anything is written', async () => {
    const fs = await import('node:fs');
    fs.appendFileSync(path.join(repo, 'main.ts'), '\n// local edit\n');
    const result = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 4)}`);
    expect(result.code).toBe(1);
    expect(result.err).toContain('uncommitted changes');
    expect(git(repo, 'status', '--porcelain').trim()).toBe('M main.ts');
  });

  test('with --newer-only a build of an older commit does not replace a newer one', async () => {
    const fs = await import('node:fs');
    const commit = (text: string) => {
      fs.appendFileSync(path.join(repo, 'app', 'api', 'CHANGES.test.md'), `${text}\n`);
      git(repo, 'add', 'app/api/CHANGES.test.md');
      git(repo, 'commit', '--quiet', '-m', text);
      return git(repo, 'rev-parse', 'HEAD').trim();
    };
    const older = commit('older');
    const newer = commit('newer');
    expect((await gitops(repo, 'bump', '--env', 'dev', '--newer-only', '--image', `api=${imageRef('api', newer)}`)).code).toBe(0);
    const head = git(repo, 'rev-parse', 'HEAD');
    const result = await gitops(repo, 'bump', '--env', 'dev', '--newer-only', '--image', `api=${imageRef('api', older)}`);
    expect(result).toMatchObject({ code: 0, out: 'nothing to bump: dev already runs newer builds' });
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(readJson(repo, 'environments/dev.images.json').api).toBe(imageRef('api', newer));
  });

  test('a failing synth restores the images file and dist/ and makes no commit', async () => {
    const fs = await import('node:fs');
    // Break the synth in a committed change, so the clean-worktree precondition still holds.
    fs.writeFileSync(path.join(repo, 'main.ts'), 'throw new Error("synth broke on purpose");\n');
    git(repo, 'commit', '--quiet', '-am', 'break the synth');
    const head = git(repo, 'rev-parse', 'HEAD');
    const before = snapshot(repo);
    const result = await gitops(repo, 'bump', '--env', 'dev', '--image', `api=${imageRef('api', 5)}`);
    expect(result.code).toBe(1);
    expect(result.err).toContain('synth of dev failed');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(snapshot(repo)).toEqual(before);
  });
});
