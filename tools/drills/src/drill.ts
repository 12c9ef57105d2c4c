/** Where a drill writes and how it waits. Injected so tests run drills in-process. */
export interface Io {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Where API_TOKEN is read from. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export interface Drill {
  readonly name: string;
  readonly summary: string;
  /** Full `--help` text. */
  readonly help: string;
  /** Throws UsageError for bad arguments, DrillFailure when the checked system fails. */
  run(argv: readonly string[], io: Io): Promise<void>;
}
