import { UsageError } from './errors';

/** The promotion pipeline, in order: a change reaches dev first, then test, then prod. */
export const PIPELINE = ['dev', 'test', 'prod'] as const;
export type Environment = (typeof PIPELINE)[number];

export function parseEnvironment(value: string | undefined, flag = '--env'): Environment {
  if (value === undefined) throw new UsageError(`${flag} is required (one of ${PIPELINE.join(', ')})`);
  if (!(PIPELINE as readonly string[]).includes(value)) {
    throw new UsageError(`${flag}: unknown environment "${value}" (expected one of ${PIPELINE.join(', ')})`);
  }
  return value as Environment;
}

/** The environment a promotion into `env` must come from (`undefined` for the first one). */
export function previousEnvironment(env: Environment): Environment | undefined {
  const index = PIPELINE.indexOf(env);
  return index > 0 ? PIPELINE[index - 1] : undefined;
}

export const imagesFilePath = (env: Environment): string => `environments/${env}.images.json`;
export const distPath = (env: Environment): string => `dist/${env}`;
