import { DeadlineWatch } from './query-deadline';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('DeadlineWatch', () => {
  it('calls a missed deadline once, never before it is due and at most a tick late', async () => {
    const watch = new DeadlineWatch(60, 10);
    const started = performance.now();
    const missed: number[] = [];
    watch.watch(() => missed.push(performance.now() - started));
    await sleep(150);
    expect(missed).toHaveLength(1);
    expect(missed[0]).toBeGreaterThanOrEqual(60);
    // A tick late, plus what a busy test machine adds to a timer.
    expect(missed[0]).toBeLessThan(60 + 10 + 60);
  });

  it('never calls a deadline that was settled, and keeps the others', async () => {
    const watch = new DeadlineWatch(30, 5);
    const calls: string[] = [];
    const first = watch.watch(() => calls.push('first'));
    watch.watch(() => calls.push('second'));
    watch.settle(first);
    await sleep(80);
    expect(calls).toEqual(['second']);
  });

  it('lets the process exit while deadlines are pending', () => {
    const watch = new DeadlineWatch(60_000, 1000);
    watch.watch(() => undefined);
    // The watch's timer must not keep a process alive on its own.
    const timer = (watch as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
  });
});
