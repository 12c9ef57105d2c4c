import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Environment, imagesFilePath } from './environments';
import { GitopsError } from './errors';

/** Image name (`api`, `front`) -> immutable reference, as held in environments/<env>.images.json. */
export type Images = Readonly<Record<string, string>>;

export function parseImages(text: string, source: string): Images {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GitopsError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new GitopsError(`${source}: expected an object of image name -> reference`);
  }
  for (const [name, ref] of Object.entries(data)) {
    if (typeof ref !== 'string') throw new GitopsError(`${source}: "${name}" must be a string`);
  }
  return data as Images;
}

/** The contract's canonical form: keys sorted, 2-space indent, trailing newline. */
export function formatImages(images: Images): string {
  const sorted = Object.fromEntries(Object.keys(images).sort().map((key) => [key, images[key]]));
  return `${JSON.stringify(sorted, null, 2)}\n`;
}

export function readImages(repoRoot: string, env: Environment): Images {
  const file = imagesFilePath(env);
  let text: string;
  try {
    text = fs.readFileSync(path.join(repoRoot, file), 'utf8');
  } catch {
    throw new GitopsError(`${file} not found: is this the EcoData repository root?`);
  }
  return parseImages(text, file);
}

/**
 * Writes the images file atomically: a reader (or a crash) sees either the old or the new
 * file, never a truncated one, because rename() replaces the directory entry in one step.
 */
export function writeImages(repoRoot: string, env: Environment, images: Images): void {
  const target = path.join(repoRoot, imagesFilePath(env));
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(temp, formatImages(images));
    fs.renameSync(temp, target);
  } finally {
    fs.rmSync(temp, { force: true });
  }
}
