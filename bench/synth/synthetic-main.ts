// The real app plus SYNTH_SERVICES synthetic WebServices per environment, to show how synth
// cost grows with the number of objects. Run by bench/synth/run.ts, never by users.
import { WebService } from '../../constructs/web-service';
import { synthCli } from '../../tools/synth/run';

const count = Number(process.env.SYNTH_SERVICES ?? '0');
const image = `ghcr.io/ecodata/synthetic:1.0.0@sha256:${'1'.repeat(64)}`;

process.exitCode = synthCli(process.argv.slice(2), undefined, {
  extend: (chart) => {
    for (let index = 1; index <= count; index += 1) {
      const name = `svc-${String(index).padStart(3, '0')}`;
      new WebService(chart, `Synthetic${index}`, {
        name,
        image,
        version: '1.0.0',
        replicas: 2,
        resources: { requests: { cpuMillis: 50, memoryMiB: 64 }, limits: { cpuMillis: 200, memoryMiB: 128 } },
        env: { APP_ENV: chart.config.name },
      });
    }
  },
});
