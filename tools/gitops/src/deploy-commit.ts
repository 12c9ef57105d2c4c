import { type Environment } from './environments';
import { git } from './git';
import { shortTag } from './image-ref';

/**
 * Deploy commits carry git trailers so that `status`, `rollback`, `promote` and the push
 * helper find them with `git log --grep` and read them back without parsing prose:
 *
 *   Deploy-Environment: dev
 *   Deploy-Action: bump | promote | rollback
 *   Deploy-Image-<name>: <reference the environment runs after this commit>   (one per changed image)
 *   Deploy-Source-Environment: dev        (promote)
 *   Deploy-Override: <reason>             (promote that skipped an environment)
 *   Deploy-Reverts: <sha>                 (rollback, one per reverted commit)
 */
export type DeployAction = 'bump' | 'promote' | 'rollback';

export interface ImageChange {
  readonly name: string;
  readonly from: string | undefined;
  readonly to: string;
}

export interface DeployMessage {
  readonly env: Environment;
  readonly action: DeployAction;
  readonly changes: readonly ImageChange[];
  /** Free-form paragraphs between the change list and the trailers (changelog, reverted commits). */
  readonly sections?: readonly string[];
  readonly extraTrailers?: readonly (readonly [string, string])[];
}

const tagOf = (ref: string | undefined): string => {
  if (ref === undefined) return '(none)';
  const at = ref.indexOf('@');
  const colon = ref.lastIndexOf(':', at === -1 ? ref.length : at);
  return shortTag(ref.slice(colon + 1, at === -1 ? undefined : at));
};

export function formatDeployMessage(message: DeployMessage): string {
  const summary = message.changes.map((change) => `${change.name} ${tagOf(change.to)}`).join(', ');
  const verb = { bump: '', promote: 'promote ', rollback: 'roll back to ' }[message.action];
  const subject = `deploy(${message.env}): ${verb}${summary}`;
  const list = message.changes.map((change) => `- ${change.name}: ${tagOf(change.from)} -> ${tagOf(change.to)}`).join('\n');
  const trailers: (readonly [string, string])[] = [
    ['Deploy-Environment', message.env],
    ['Deploy-Action', message.action],
    ...message.changes.map((change) => [`Deploy-Image-${change.name}`, change.to] as const),
    ...(message.extraTrailers ?? []),
  ];
  const trailerBlock = trailers.map(([key, value]) => `${key}: ${oneLine(value)}`).join('\n');
  return [subject, list, ...(message.sections ?? []), trailerBlock].join('\n\n') + '\n';
}

/** Trailer values must stay on one line or git stops recognising the trailer block. */
export const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim();

export interface DeployCommit {
  readonly sha: string;
  /** Committer time, seconds since the epoch. */
  readonly time: number;
  readonly subject: string;
  readonly env: string;
  readonly action: string;
  /** Image name -> reference this commit set. */
  readonly images: ReadonlyMap<string, string>;
  readonly reverts: readonly string[];
  /** The full message, kept so that the push helper can re-apply the commit verbatim. */
  readonly message: string;
}

export function parseTrailers(text: string): [string, string][] {
  return text
    .split('\n')
    .map((line) => /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => [match[1], match[2].trim()]);
}

function toDeployCommit(sha: string, time: string, subject: string, trailerText: string, message: string): DeployCommit | undefined {
  const trailers = parseTrailers(trailerText);
  const value = (key: string) => trailers.find(([k]) => k === key)?.[1];
  const env = value('Deploy-Environment');
  if (env === undefined) return undefined;
  const images = new Map<string, string>();
  for (const [key, ref] of trailers) if (key.startsWith('Deploy-Image-')) images.set(key.slice('Deploy-Image-'.length), ref);
  const reverts = trailers.filter(([key]) => key === 'Deploy-Reverts').map(([, v]) => v);
  return { sha, time: Number(time), subject, env, action: value('Deploy-Action') ?? 'unknown', images, reverts, message };
}

/** Deploy commits reachable from `range` (newest first), optionally only those of `env`. */
export function listDeployCommits(root: string, options: { env?: string; range?: readonly string[] } = {}): DeployCommit[] {
  const grep = options.env === undefined ? '^Deploy-Environment: ' : `^Deploy-Environment: ${options.env}$`;
  const out = git(root, [
    'log', '-E', `--grep=${grep}`,
    '--format=%H%x1f%ct%x1f%s%x1f%(trailers:only,unfold)%x1f%B%x1e',
    ...(options.range ?? ['HEAD']), '--',
  ]);
  return out
    .split('\x1e')
    .map((record) => record.replace(/^\n/, ''))
    .filter((record) => record !== '')
    .map((record) => {
      const [sha, time, subject, trailers, message] = record.split('\x1f');
      return toDeployCommit(sha, time, subject, trailers, message);
    })
    .filter((commit): commit is DeployCommit => commit !== undefined && (options.env === undefined || commit.env === options.env));
}
