// Compares rendered files with an output folder and applies the difference: writes changed
// and new files, removes stale ones (and folders left empty), leaves identical files alone.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { RenderedFiles } from './render';

export interface OutputPlan {
  /** Files to create (not on disk yet). */
  readonly added: readonly string[];
  /** Files whose content differs. */
  readonly changed: readonly string[];
  /** Files on disk that the synth no longer produces. */
  readonly removed: readonly string[];
  /** Files already identical. */
  readonly unchanged: number;
}

/** Reads every file under `dir/<scope>` for each scope (all of `dir` when scopes is undefined). */
export function readOutput(dir: string, scopes?: readonly string[]): RenderedFiles {
  const files: RenderedFiles = new Map();
  const walk = (relative: string) => {
    const absolute = path.join(dir, relative);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(absolute, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else files.set(child, fs.readFileSync(path.join(dir, child), 'utf8'));
    }
  };
  for (const scope of scopes ?? ['']) walk(scope);
  return files;
}

export function planOutput(expected: RenderedFiles, actual: RenderedFiles): OutputPlan {
  const added: string[] = [];
  const changed: string[] = [];
  let unchanged = 0;
  for (const [file, content] of expected) {
    const current = actual.get(file);
    if (current === undefined) added.push(file);
    else if (current !== content) changed.push(file);
    else unchanged += 1;
  }
  const removed = [...actual.keys()].filter((file) => !expected.has(file));
  return { added: added.sort(), changed: changed.sort(), removed: removed.sort(), unchanged };
}

export function isClean(plan: OutputPlan): boolean {
  return plan.added.length === 0 && plan.changed.length === 0 && plan.removed.length === 0;
}

/** A unified diff from what is on disk (a/) to what the synth produces (b/). */
export function formatDiff(plan: OutputPlan, expected: RenderedFiles, actual: RenderedFiles, label: string): string {
  const files = [...plan.changed, ...plan.added, ...plan.removed].sort();
  return files
    .map((file) => {
      const before = actual.get(file);
      const after = expected.get(file);
      return createTwoFilesPatch(
        before === undefined ? '/dev/null' : `a/${label}/${file}`,
        after === undefined ? '/dev/null' : `b/${label}/${file}`,
        before ?? '',
        after ?? '',
        undefined,
        undefined,
        { context: 3 },
      );
    })
    .join('');
}

export function applyPlan(dir: string, plan: OutputPlan, expected: RenderedFiles): void {
  for (const file of [...plan.added, ...plan.changed]) {
    const target = path.join(dir, file);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, expected.get(file) as string);
  }
  const parents = new Set<string>();
  for (const file of plan.removed) {
    fs.rmSync(path.join(dir, file));
    parents.add(path.dirname(file));
  }
  // Remove folders the removal left empty, deepest first, never the output folder itself.
  for (const parent of [...parents].sort((a, b) => b.length - a.length)) {
    for (let folder = parent; folder !== '.' && folder !== ''; folder = path.dirname(folder)) {
      const absolute = path.join(dir, folder);
      if (fs.existsSync(absolute) && fs.readdirSync(absolute).length === 0) fs.rmdirSync(absolute);
      else break;
    }
  }
}
