// The synth runner behind `npm run synth`, `cdk8s synth` and the gitops CLI: render the
// requested environments, then either write them to the output folder (removing stale
// files) or, with `check`, report how the committed output differs and change nothing.
import * as path from 'node:path';
import { repositoryRoot } from '../repo-root';
import { parseArgs } from 'node:util';
import { environmentNames } from '../../environments';
import { applyPlan, formatDiff, isClean, planOutput, readOutput, type OutputPlan } from './output';
import { renderEnvironments, type RenderOptions } from './render';

export interface SynthOptions extends Partial<RenderOptions> {
  /** Environments to render. @default every environment; stale folders of others are removed too */
  readonly environments?: readonly string[];
  /** Compare instead of writing. @default false */
  readonly check?: boolean;
  /** Output folder. @default `$CDK8S_OUTDIR`, else `<rootDir>/dist` */
  readonly outDir?: string;
}

export interface SynthResult {
  /** False when `check` found differences. */
  readonly ok: boolean;
  readonly outDir: string;
  readonly environments: readonly string[];
  readonly plan: OutputPlan;
  /** Unified diff of the differences (empty when clean). */
  readonly diff: string;
}

/** The repository root: the nearest folder above `from` holding cdk8s.yaml. */
export { repositoryRoot as findRootDir } from '../repo-root';

export function synth(options: SynthOptions = {}): SynthResult {
  const rootDir = options.rootDir ?? repositoryRoot();
  const outDir = path.resolve(rootDir, options.outDir ?? process.env.CDK8S_OUTDIR ?? 'dist');
  const all = options.inputs ? Object.keys(options.inputs) : environmentNames;
  const names = options.environments ?? all;
  // A full synth owns the whole output folder (dist/argocd/ included, which needs every
  // environment); a partial one only its environments' folders.
  const expected = renderEnvironments(names, {
    rootDir,
    inputs: options.inputs,
    extend: options.extend,
    platform: options.platform,
    argocd: options.environments === undefined,
  });
  const actual = readOutput(outDir, options.environments ? names : undefined);
  const plan = planOutput(expected, actual);
  const clean = isClean(plan);
  const diff = options.check && !clean ? formatDiff(plan, expected, actual, path.relative(rootDir, outDir) || '.') : '';
  if (!options.check) applyPlan(outDir, plan, expected);
  return { ok: !options.check || clean, outDir, environments: names, plan, diff };
}

const USAGE = `usage: npm run synth -- [--check] [--env <name>]... [--outdir <dir>]
  --check         compare the output folder with a fresh synth; print a diff and exit 1 on drift
  --env <name>    synthesize only this environment (repeatable; default: all)
  --outdir <dir>  output folder (default: $CDK8S_OUTDIR or dist)`;

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const processIo: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs the synth CLI; returns the exit code (0 ok, 1 drift or config error, 2 bad usage). */
export function synthCli(argv: readonly string[], io: CliIo = processIo, options: Partial<RenderOptions> = {}): number {
  let values: { check?: boolean; env?: string[]; outdir?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        check: { type: 'boolean' },
        env: { type: 'string', multiple: true },
        outdir: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    io.err(`synth: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const known = options.inputs ? Object.keys(options.inputs) : environmentNames;
  const unknown = (values.env ?? []).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    io.err(`synth: unknown environment ${unknown.map((n) => `"${n}"`).join(', ')} (known: ${known.join(', ')})\n`);
    return 2;
  }

  let result: SynthResult;
  try {
    result = synth({ ...options, check: values.check, environments: values.env, outDir: values.outdir });
  } catch (error) {
    io.err(`synth: ${(error as Error).message}\n`);
    return 1;
  }
  const { plan } = result;
  const where = path.relative(process.cwd(), result.outDir) || '.';
  const summary = `${plan.added.length} added, ${plan.changed.length} changed, ${plan.removed.length} removed, ${plan.unchanged} unchanged`;
  if (values.check) {
    if (result.ok) {
      io.out(`synth --check: ${where} is up to date (${result.environments.join(', ')}: ${plan.unchanged} files)\n`);
      return 0;
    }
    io.err(`${result.diff}\nsynth --check: ${where} differs from a fresh synth (${summary}).\nRun \`npm run synth\` and commit the result.\n`);
    return 1;
  }
  io.out(`synth: ${where} (${result.environments.join(', ')}): ${summary}\n`);
  return 0;
}
