import { parseCommandArgs } from '../args';
import { type Command } from '../command';
import { PIPELINE, imagesFilePath } from '../environments';
import { git, repoRoot } from '../git';
import { parseImageRef, shortDigest, shortTag } from '../image-ref';
import { readImages } from '../images-file';

export interface StatusRow {
  readonly env: string;
  readonly image: string;
  readonly ref: string;
  readonly tag: string;
  readonly digest: string;
  /** The commit that last set this reference in the images file (undefined if uncommitted). */
  readonly commit?: { readonly sha: string; readonly subject: string; readonly time: number };
}

export const status: Command = {
  name: 'status',
  summary: 'table of what each environment runs: image, tag, digest, deploying commit, age',
  help: `Usage: gitops status [--json]

For every environment (${PIPELINE.join(', ')}) and image: the tag, the short digest, the
commit that deployed that reference (the newest commit that put it into the images file)
and how long ago that was.

Options:
  --json               print the rows as JSON instead of a Markdown table
  -h, --help           show this help`,
  run(argv, context) {
    const args = parseCommandArgs(argv, { json: { type: 'boolean' } });
    if (args.help) return context.out(status.help);
    const root = repoRoot(context.cwd);
    const rows = statusRows(root);
    if (args.json) return context.out(JSON.stringify(rows, null, 2));
    const now = context.now().getTime() / 1000;
    const lines = ['| Environment | Image | Tag | Digest | Deployed by | Age |', '| --- | --- | --- | --- | --- | --- |'];
    for (const row of rows) {
      const by = row.commit ? `${row.commit.sha.slice(0, 12)} ${row.commit.subject}` : '(uncommitted)';
      const age = row.commit ? formatAge(now - row.commit.time) : '-';
      lines.push(`| ${row.env} | ${row.image} | ${shortTag(row.tag)} | ${shortDigest(row.digest)} | ${by} | ${age} |`);
    }
    context.out(lines.join('\n'));
  },
};

export function statusRows(root: string): StatusRow[] {
  return PIPELINE.flatMap((env) =>
    Object.entries(readImages(root, env)).map(([image, ref]) => {
      const { tag, digest } = parseImageRef(ref);
      // Pickaxe (-S) finds the newest commit that added this exact string to the file:
      // that is the deploy (or seed) commit, whichever tool made it.
      const log = git(root, ['log', '-1', '--format=%H%x1f%ct%x1f%s', '-S', ref, 'HEAD', '--', imagesFilePath(env)]).trim();
      const [sha, time, subject] = log.split('\x1f');
      return { env, image, ref, tag, digest, commit: log === '' ? undefined : { sha, subject, time: Number(time) } };
    }),
  );
}

/** `45s`, `12m`, `5h 3m`, `4d 2h`: precise enough to tell "just deployed" from "last week". */
export function formatAge(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86400) return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}
