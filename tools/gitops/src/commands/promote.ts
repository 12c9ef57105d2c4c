import { parseCommandArgs } from '../args';
import { changelog } from '../changelog';
import { type Command } from '../command';
import { formatDeployMessage, oneLine } from '../deploy-commit';
import { commitDeploy, imageChanges, refuseNoOp } from '../deploy';
import { PIPELINE, imagesFilePath, parseEnvironment, previousEnvironment } from '../environments';
import { GitopsError, UsageError } from '../errors';
import { repoRoot } from '../git';
import { parseImageRef } from '../image-ref';
import { readImages } from '../images-file';
import { requireCleanWorktree } from '../workspace';

export const promote: Command = {
  name: 'promote',
  summary: 'copy image references to the next environment, re-synthesize and commit',
  help: `Usage: gitops promote --from <env> --to <env> [--only <name>[,<name>]] [--allow-skip --reason <text>]

Copies the image references that <from> runs into <to>, re-renders dist/<to> and commits
with the old -> new tag of each image and the commits in between.

The order is enforced: ${PIPELINE.join(' -> ')}. Skipping an environment (dev -> prod) is
refused unless --allow-skip is given with a --reason, which is recorded in the commit
(trailer Deploy-Override) and printed. Promoting backwards is always refused: use rollback.

Options:
  --from <env>         source environment
  --to <env>           target environment (the next one after --from)
  --only <names>       promote only these images (comma-separated or repeated)
  --allow-skip         allow skipping an environment (needs --reason)
  --reason <text>      why the order is overridden
  -h, --help           show this help`,
  run(argv, context) {
    const args = parseCommandArgs(argv, {
      from: { type: 'string' },
      to: { type: 'string' },
      only: { type: 'string', multiple: true },
      'allow-skip': { type: 'boolean' },
      reason: { type: 'string' },
    });
    if (args.help) return context.out(promote.help);
    const from = parseEnvironment(args.from as string | undefined, '--from');
    const to = parseEnvironment(args.to as string | undefined, '--to');
    const allowSkip = args['allow-skip'] === true;
    const reason = oneLine((args.reason as string | undefined) ?? '');
    if (args.reason !== undefined && !allowSkip) throw new UsageError('--reason is only used together with --allow-skip');
    if (allowSkip && reason === '') throw new UsageError('--allow-skip needs a non-empty --reason (it is recorded in the commit)');

    if (PIPELINE.indexOf(to) <= PIPELINE.indexOf(from)) {
      throw new GitopsError(`cannot promote ${from} -> ${to}: promotion only goes forward (${PIPELINE.join(' -> ')}); use rollback to go back`);
    }
    const expectedSource = previousEnvironment(to);
    const skipping = expectedSource !== from;
    if (skipping && !allowSkip) {
      throw new GitopsError(`cannot promote ${from} -> ${to}: it would skip ${expectedSource}. ${to} only receives what ${expectedSource} runs; promote ${from} -> ${expectedSource} first, or override with --allow-skip --reason "<why>"`);
    }

    const root = repoRoot(context.cwd);
    const source = readImages(root, from);
    const target = readImages(root, to);
    const only = ((args.only as string[] | undefined) ?? []).flatMap((value) => value.split(',')).map((n) => n.trim()).filter((n) => n !== '');
    const names = only.length > 0 ? only : Object.keys(source);
    for (const name of names) {
      if (!(name in source)) throw new GitopsError(`unknown image "${name}" (${imagesFilePath(from)} knows ${Object.keys(source).join(', ')})`);
      if (!(name in target)) throw new GitopsError(`unknown image "${name}" in ${imagesFilePath(to)}`);
      parseImageRef(source[name], name);
    }
    const next = { ...target, ...Object.fromEntries(names.map((name) => [name, source[name]])) };
    const changes = imageChanges(target, next);
    refuseNoOp(changes, to, 'promote');
    requireCleanWorktree(root);

    const sections = changes.map((change) => {
      const lines = changelog(root, change.name, change.from, change.to, from);
      return `Changes in ${change.name}:\n${lines.map((line) => `  ${line}`).join('\n')}`;
    });
    if (skipping) {
      sections.push(`Order override: ${from} -> ${to} skips ${expectedSource}. Reason: ${reason}`);
      context.err(`warning: promoting ${from} -> ${to} skips ${expectedSource} (override recorded: ${reason})`);
    }
    const message = formatDeployMessage({
      env: to,
      action: 'promote',
      changes,
      sections,
      extraTrailers: [['Deploy-Source-Environment', from], ...(skipping ? [['Deploy-Override', reason] as const] : [])],
    });
    const sha = commitDeploy(root, to, next, message);
    context.out(`${sha.slice(0, 12)} deploy(${to}): promoted ${changes.map((c) => c.name).join(', ')} from ${from}`);
  },
};
