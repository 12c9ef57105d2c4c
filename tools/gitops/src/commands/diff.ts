import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommandArgs } from '../args';
import { type Command } from '../command';
import { GitopsError, UsageError } from '../errors';
import { git, repoRoot, resolveCommit } from '../git';
import { diffResources, parseResources, renderMarkdown } from '../manifest-diff';

const MANIFEST = /\.ya?ml$/;

export const diff: Command = {
  name: 'diff',
  summary: 'Markdown summary of rendered changes in dist/<env> between a base and the worktree',
  help: `Usage: gitops diff --env <name> [--base <ref>]

Compares the manifests in dist/<name>/ at <ref> (default HEAD) with the working tree and
prints, in Markdown, each resource that was added, changed or removed, with the paths of
the changed fields and their old -> new values. <name> is an environment (dev, test, prod)
or any other folder of dist/ (e.g. argocd). Used for pull request comments.

Options:
  --env <name>         folder under dist/
  --base <ref>         git revision to compare against (default HEAD)
  -h, --help           show this help`,
  run(argv, context) {
    const args = parseCommandArgs(argv, { env: { type: 'string' }, base: { type: 'string' } });
    if (args.help) return context.out(diff.help);
    const name = args.env as string | undefined;
    if (name === undefined) throw new UsageError('--env is required');
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new UsageError(`--env: "${name}" is not a folder name`);
    const root = repoRoot(context.cwd);
    const base = resolveCommit(root, (args.base as string | undefined) ?? 'HEAD');
    const dir = `dist/${name}`;
    const before = filesAtRevision(root, base, dir);
    const after = filesInWorktree(root, dir);
    if (before.size === 0 && after.size === 0) throw new GitopsError(`${dir} has no manifests at ${args.base ?? 'HEAD'} nor in the worktree`);
    const changes = diffResources(parseResources(before), parseResources(after));
    context.out(renderMarkdown(`\`${dir}\``, changes));
  },
};

function filesAtRevision(root: string, rev: string, dir: string): Map<string, string> {
  const names = git(root, ['ls-tree', '-r', '--name-only', rev, '--', `${dir}/`]).split('\n').filter((f) => MANIFEST.test(f));
  return new Map(names.map((file) => [file, git(root, ['show', `${rev}:${file}`])]));
}

function filesInWorktree(root: string, dir: string): Map<string, string> {
  const absolute = path.join(root, dir);
  if (!fs.existsSync(absolute)) return new Map();
  const files = (fs.readdirSync(absolute, { recursive: true }) as string[])
    .map((file) => path.posix.join(dir, file.split(path.sep).join('/')))
    .filter((file) => MANIFEST.test(file))
    .sort();
  return new Map(files.map((file) => [file, fs.readFileSync(path.join(root, file), 'utf8')]));
}
