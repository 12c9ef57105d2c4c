// npm run cluster -- up | down | status | kubeconfig | build | crds
// A real Kubernetes control plane on this machine (etcd, kube-apiserver, controller manager,
// scheduler) with kwok playing the nodes and Argo CD's controller and repo server: for applying
// and syncing dist/ the way a cluster would, not for running containers. State lives in .build/cluster/ (CLUSTER_DIR overrides).
import path from 'node:path';
import { repositoryRoot } from '../repo-root';
import { buildBinaries } from './src/binaries';
import { down, processStatus, readState, up } from './src/control-plane';
import { linkCrdFolders } from './src/upstream-crds';

const USAGE = `usage: npm run cluster -- <command>

  up          build the binaries if needed, start a control plane and Argo CD, print the kubeconfig path
  down        stop every process of the cluster and remove its data
  status      which processes run, the API server URL and the kubeconfig path
  kubeconfig  print the kubeconfig path (for KUBECONFIG=$(npm run -s cluster -- kubeconfig))
  build       build (or find in the cache) the binaries; print their folder
  crds        link .build/crds/<project> to the pinned upstream CRD folders (for cdk8s import)

environment: CLUSTER_DIR (default .build/cluster), ECODATA_CLUSTER_CACHE (binary cache)`;

async function main(argv: readonly string[]): Promise<number> {
  const root = repositoryRoot();
  const dir = path.resolve(process.env.CLUSTER_DIR ?? path.join(root, '.build', 'cluster'));
  const [command, ...rest] = argv;
  if (rest.length > 0 || command === undefined || command === '--help' || command === '-h') {
    (command === '--help' || command === '-h' ? console.log : console.error)(USAGE);
    return command === '--help' || command === '-h' ? 0 : 2;
  }
  const err = (line: string) => process.stderr.write(`cluster: ${line}\n`);
  switch (command) {
    case 'build':
      console.log(buildBinaries());
      return 0;
    case 'crds':
      for (const link of linkCrdFolders(root)) console.log(path.relative(root, link));
      return 0;
    case 'up': {
      const binDir = buildBinaries();
      const state = await up({ dir, binDir, log: err });
      err(`logs in ${path.join(dir, 'logs')}; stop with \`npm run cluster -- down\``);
      console.log(state.kubeconfig);
      return 0;
    }
    case 'down':
      err((await down(dir)) ? `stopped and removed ${dir}` : `no cluster in ${dir}`);
      return 0;
    case 'status': {
      const state = readState(dir);
      if (!state) {
        console.log(`no cluster in ${dir}`);
        return 1;
      }
      const processes = processStatus(state);
      console.log(`server:     ${state.server}\nkubeconfig: ${state.kubeconfig}`);
      for (const p of processes) console.log(`  ${p.name.padEnd(24)} pid ${String(p.pid).padEnd(8)} ${p.running ? 'running' : 'NOT RUNNING'}`);
      return processes.every((p) => p.running) ? 0 : 1;
    }
    case 'kubeconfig': {
      const state = readState(dir);
      if (!state?.kubeconfig) {
        err(`no cluster in ${dir} (start one with \`npm run cluster -- up\`)`);
        return 1;
      }
      console.log(state.kubeconfig);
      return 0;
    }
    default:
      console.error(`unknown command "${command}"\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`cluster: ${error.message}\n`);
    process.exit(1);
  },
);
