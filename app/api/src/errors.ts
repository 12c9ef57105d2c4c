// One error class for everything the API reports, rendered as RFC 9457 problem+json by the
// error middleware (src/http/problem.ts).

export const problemTypeBase = 'https://ecodata.example.com/problems/';

export type ProblemCode =
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid_json'
  | 'invalid_encoding'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'not_acceptable'
  | 'version_conflict'
  | 'precondition_required'
  | 'idempotency_key_reused'
  | 'idempotency_key_in_flight'
  | 'request_header_fields_too_large'
  | 'request_timeout'
  | 'invalid_csv'
  | 'invalid_cursor'
  | 'database_unavailable'
  | 'service_unavailable'
  | 'internal_error';

const titles: Record<ProblemCode, string> = {
  validation_failed: 'Request validation failed',
  unauthorized: 'Authentication required',
  forbidden: 'Not allowed for this role',
  invalid_json: 'Request body is not valid JSON',
  invalid_encoding: 'Request body is not valid UTF-8',
  unsupported_media_type: 'Unsupported media type',
  payload_too_large: 'Payload too large',
  not_found: 'Not found',
  method_not_allowed: 'Method not allowed',
  not_acceptable: 'Not acceptable',
  version_conflict: 'Version conflict',
  precondition_required: 'Precondition required',
  idempotency_key_reused: 'Idempotency key reused with another request',
  idempotency_key_in_flight: 'A request with this idempotency key is in progress',
  request_header_fields_too_large: 'Request header fields too large',
  request_timeout: 'Request timeout',
  invalid_csv: 'Invalid CSV',
  invalid_cursor: 'Invalid cursor',
  database_unavailable: 'Database unavailable',
  service_unavailable: 'Service unavailable',
  internal_error: 'Internal server error',
};

export interface ProblemDetail {
  readonly field?: string;
  readonly line?: number;
  readonly message: string;
}

export class AppError extends Error {
  readonly title: string;
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: readonly ProblemDetail[],
    options?: { cause?: unknown; headers?: Record<string, string>; extensions?: Record<string, unknown> },
  ) {
    super(detail, { cause: options?.cause });
    this.name = 'AppError';
    this.title = titles[code];
    this.headers = options?.headers;
    this.extensions = options?.extensions;
  }
  readonly headers?: Record<string, string>;
  /** Extra members of the problem document (RFC 9457 section 3.2), e.g. totalErrors. */
  readonly extensions?: Record<string, unknown>;
}

export const notFound = (detail = 'The requested resource does not exist.') => new AppError(404, 'not_found', detail);

export function validationFailed(errors: readonly ProblemDetail[]): AppError {
  return new AppError(400, 'validation_failed', errors.map(describe).join('; '), errors);
}

function describe(error: ProblemDetail): string {
  return error.field ? `${error.field}: ${error.message}` : error.message;
}
