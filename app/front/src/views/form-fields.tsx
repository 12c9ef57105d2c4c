import type { ProblemFieldError } from '../api/types';
import { CSRF_FIELD } from '../http/csrf';

/** Field-level messages keyed by form field name, plus those that belong to no known field. */
export interface FormErrors {
  readonly byField: Readonly<Record<string, readonly string[]>>;
  readonly general: readonly string[];
}

export const NO_ERRORS: FormErrors = { byField: {}, general: [] };

/** Sorts the API's problem+json `errors` onto the form's fields (by the first path segment). */
export function toFormErrors(errors: readonly ProblemFieldError[] | undefined, fields: readonly string[], fallback?: string): FormErrors {
  const byField: Record<string, string[]> = {};
  const general: string[] = [];
  for (const error of errors ?? []) {
    const field = error.field?.split(/[.[/]/).find(Boolean);
    if (field && fields.includes(field)) (byField[field] ??= []).push(error.message);
    else general.push(error.field ? `${error.field}: ${error.message}` : error.message);
  }
  if (general.length === 0 && Object.keys(byField).length === 0 && fallback) general.push(fallback);
  return { byField, general };
}

export function hasErrors(errors: FormErrors): boolean {
  return errors.general.length > 0 || Object.keys(errors.byField).length > 0;
}

export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={token} />;
}

/** Lists every problem at the top of a form, each linking to its field. */
export function ErrorSummary({ errors, labels, idPrefix = 'field-' }: {
  errors: FormErrors;
  labels: Readonly<Record<string, string>>;
  /** Prefix of the fields' element ids, for the links. */
  idPrefix?: string;
}) {
  if (!hasErrors(errors)) return null;
  return (
    <div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabIndex={-1}>
      <h2 id="error-summary-title">Please correct the following</h2>
      <ul>
        {errors.general.map((message, i) => (
          <li key={`g${i}`}>{message}</li>
        ))}
        {Object.entries(errors.byField).flatMap(([field, messages]) =>
          messages.map((message, i) => (
            <li key={`${field}${i}`}>
              <a href={`#${idPrefix}${field}`}>{labels[field] ?? field}</a>: {message}
            </li>
          )),
        )}
      </ul>
    </div>
  );
}

export interface TextFieldProps {
  readonly name: string;
  readonly label: string;
  readonly value: string;
  readonly errors?: readonly string[];
  readonly hint?: string;
  readonly required?: boolean;
  readonly type?: 'text' | 'datetime-local';
  readonly inputMode?: 'text' | 'decimal';
  readonly maxLength?: number;
  readonly autoComplete?: string;
}

/** A labelled input with its hint and error messages wired up through aria-describedby. */
export function TextField(props: TextFieldProps) {
  const id = `field-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const errorId = props.errors?.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div class={props.errors?.length ? 'field field-invalid' : 'field'}>
      <label for={id}>
        {props.label}
        {props.required ? null : <span class="optional"> (optional)</span>}
      </label>
      {props.hint ? <p id={hintId} class="hint">{props.hint}</p> : null}
      {errorId ? (
        <p id={errorId} class="field-error">
          {props.errors!.join(' ')}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        // preact's types split inputs by `type`; both kinds used here accept the same attributes.
        type={(props.type ?? 'text') as 'text'}
        value={props.value}
        required={props.required}
        inputMode={props.inputMode}
        maxLength={props.maxLength}
        autoComplete={props.autoComplete ?? 'off'}
        // Milliseconds are part of a stored time: a step of 1 s would flag them as invalid.
        step={props.type === 'datetime-local' ? 0.001 : undefined}
        aria-invalid={errorId ? 'true' : undefined}
        aria-describedby={describedBy}
      />
    </div>
  );
}
