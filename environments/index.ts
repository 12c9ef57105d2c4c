// The environments the synth renders, in promotion order. Adding an environment: create
// <name>.ts and <name>.images.json beside this file and list it here.
import { dev } from './dev';
import { prod } from './prod';
import type { EnvironmentInput } from './schema';
import { test } from './test';

export const environments: Readonly<Record<string, EnvironmentInput>> = { dev, test, prod };

export const environmentNames: readonly string[] = Object.keys(environments);
