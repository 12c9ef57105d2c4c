// The cdk8s app: renders every environment into dist/<env>/. `npm run synth` runs this file
// as a cached esbuild bundle (tools/run-ts.cjs); `cdk8s synth` does the same through
// cdk8s.yaml. Arguments: see `npm run synth -- --help`.
import { synthCli } from './tools/synth/run';

process.exitCode = synthCli(process.argv.slice(2));
