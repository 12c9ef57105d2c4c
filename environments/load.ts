// Turns an environment's typed config and its machine-edited images file into validated
// values, or fails with one error that names the environment, the file and every bad field.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { platformSchema, type PlatformConfig, type PlatformInput } from './platform-schema';
import { environmentSchema, imagesSchema, type EnvironmentConfig, type EnvironmentInput, type Images } from './schema';

export class EnvironmentConfigError extends Error {
  constructor(
    readonly environment: string,
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid configuration for environment "${environment}" in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'EnvironmentConfigError';
  }
}

function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    return `${field}: ${issue.message}`;
  });
}

/** Validates an environment config; `file` is only used in error messages. */
export function parseEnvironment(name: string, input: EnvironmentInput, file = `environments/${name}.ts`): EnvironmentConfig {
  const result = environmentSchema.safeParse(input);
  if (!result.success) throw new EnvironmentConfigError(name, file, describeIssues(result.error));
  if (result.data.name !== name) {
    throw new EnvironmentConfigError(name, file, [`name: must be "${name}" (the file's environment), got "${result.data.name}"`]);
  }
  return result.data;
}

/** Validates the parsed contents of an images file. */
export function parseImages(name: string, input: unknown, file = `environments/${name}.images.json`): Images {
  const result = imagesSchema.safeParse(input);
  if (!result.success) throw new EnvironmentConfigError(name, file, describeIssues(result.error));
  return result.data;
}

/** Reads and validates `<dir>/<name>.images.json`. */
export function loadImages(name: string, environmentsDir: string): Images {
  const file = path.join(environmentsDir, `${name}.images.json`);
  const relative = path.join('environments', `${name}.images.json`);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new EnvironmentConfigError(name, relative, [`cannot read the file: ${(error as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new EnvironmentConfigError(name, relative, [`not valid JSON: ${(error as Error).message}`]);
  }
  return parseImages(name, json, relative);
}

export class PlatformConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid platform configuration in ${file}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'PlatformConfigError';
  }
}

/** Validates the platform configuration (repository, Argo CD, pinned platform components). */
export function parsePlatform(input: PlatformInput, file = 'environments/platform.ts'): PlatformConfig {
  const result = platformSchema.safeParse(input);
  if (!result.success) throw new PlatformConfigError(file, describeIssues(result.error));
  return result.data;
}
