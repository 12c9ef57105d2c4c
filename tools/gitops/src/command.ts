/** What every subcommand receives: where to run and where to write. Injected so tests run in-process. */
export interface Context {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly now: () => Date;
  /** Waits between push attempts; tests pass a no-op. */
  readonly sleep: (ms: number) => Promise<void>;
}

export interface Command {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  run(argv: readonly string[], context: Context): void | Promise<void>;
}
