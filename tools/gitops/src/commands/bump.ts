import { parseCommandArgs } from '../args';
import { isOlderBuild } from '../build-order';
import { type Command } from '../command';
import { formatDeployMessage } from '../deploy-commit';
import { commitDeploy, imageChanges, refuseNoOp } from '../deploy';
import { imagesFilePath, parseEnvironment } from '../environments';
import { GitopsError } from '../errors';
import { repoRoot } from '../git';
import { parseImageAssignments, parseImageRef } from '../image-ref';
import { readImages } from '../images-file';
import { requireCleanWorktree } from '../workspace';

export const bump: Command = {
  name: 'bump',
  summary: 'set image references for one environment, re-synthesize it and commit',
  help: `Usage: gitops bump --env <dev|test|prod> --image <name>=<ref>[,<name>=<ref>...]

Sets the given images in environments/<env>.images.json, re-renders dist/<env> with
\`npm run synth -- --env <env>\` and commits both as "deploy(<env>): <name> <tag>".

A reference must be immutable: <registry>/<owner>/ecodata-<name>:<tag>@sha256:<64 hex>,
never the tag "latest". Unknown image names and bumps that change nothing are refused.
Requires a clean worktree; on any failure the repository is left exactly as it was.

Options:
  --env <env>          environment to change (dev, test or prod)
  --image <list>       name=ref pairs, comma-separated or repeated
  --newer-only         skip images whose new tag is a commit older than (an ancestor of)
                       the one the environment runs; exit 0 if nothing is left (used by
                       release.yml, whose runs may finish out of order)
  -h, --help           show this help

Example:
  npm run gitops -- bump --env dev --image api=ghcr.io/acme/ecodata-api:3f2c…@sha256:…`,
  run(argv, context) {
    const args = parseCommandArgs(argv, {
      env: { type: 'string' },
      image: { type: 'string', multiple: true },
      'newer-only': { type: 'boolean' },
    });
    if (args.help) return context.out(bump.help);
    const env = parseEnvironment(args.env as string | undefined);
    const assignments = parseImageAssignments((args.image as string[] | undefined) ?? []);
    const root = repoRoot(context.cwd);
    const current = readImages(root, env);
    for (const [name, ref] of assignments) {
      if (!(name in current)) {
        throw new GitopsError(`unknown image "${name}" (${imagesFilePath(env)} knows ${Object.keys(current).join(', ')})`);
      }
      parseImageRef(ref, name);
    }
    const newerOnly = args['newer-only'] === true;
    if (newerOnly) {
      for (const [name, ref] of assignments) {
        if (!isOlderBuild(root, ref, current[name])) continue;
        context.err(`skipping ${name}: ${env} already runs ${current[name]}, built from a newer commit`);
        assignments.delete(name);
      }
      if (assignments.size === 0) return context.out(`nothing to bump: ${env} already runs newer builds`);
    }
    const next = { ...current, ...Object.fromEntries(assignments) };
    const changes = imageChanges(current, next);
    refuseNoOp(changes, env, 'bump');
    requireCleanWorktree(root);
    const sha = commitDeploy(root, env, next, formatDeployMessage({ env, action: 'bump', changes, extraTrailers: newerOnly ? [['Deploy-Newer-Only', 'true']] : [] }));
    context.out(`${sha.slice(0, 12)} deploy(${env}): ${changes.map((c) => c.name).join(', ')} bumped`);
  },
};
