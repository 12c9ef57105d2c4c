// Shapes of the API's JSON, as fixed by notes/CONTRACTS.md ("HTTP API contract").

export interface Measurement {
  readonly id: string;
  readonly station: string;
  readonly kind: string;
  readonly value: number;
  readonly unit: string | null;
  readonly recordedAt: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly version: number;
  /** Subject (`sub`) of who added it; null for rows written before sign-in existed. */
  readonly createdBy?: string | null;
  /** Subject of who changed it last; null for rows written before sign-in existed. */
  readonly updatedBy?: string | null;
}

export interface MeasurementPage {
  readonly items: readonly Measurement[];
  readonly nextCursor: string | null;
}

/** Body of POST and PUT; `value` stays a string when the user typed something non-numeric. */
export interface MeasurementInput {
  readonly station: string;
  readonly kind: string;
  readonly value: number | string;
  readonly unit?: string;
  readonly recordedAt?: string;
}

export interface MeasurementFilter {
  readonly station?: string;
  readonly kind?: string;
  /** One unit; '' selects the measurements without a unit. */
  readonly unit?: string;
  readonly from?: string;
  readonly to?: string;
}

export interface ListQuery extends MeasurementFilter {
  readonly limit?: number;
  readonly cursor?: string;
  readonly order?: 'asc' | 'desc';
}

export interface SeriesStats {
  readonly station: string;
  readonly kind: string;
  readonly unit: string | null;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly avg: number;
  readonly latest: { readonly value: number; readonly recordedAt: string } | null;
}

export interface ApiInfo {
  readonly name: string;
  readonly version: string;
  readonly environment: string;
}

export interface ProblemFieldError {
  readonly field?: string;
  readonly line?: number;
  readonly message: string;
}

/** RFC 9457 problem details as the API sends them. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status: number;
  readonly detail?: string;
  readonly code?: string;
  readonly errors?: readonly ProblemFieldError[];
  /** CSV import: how many errors in all (errors lists the first ones). */
  readonly totalErrors?: number;
}
