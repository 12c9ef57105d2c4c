import { CsrfField } from './form-fields';
import { Layout, type PageContext } from './layout';

export interface OutcomeUnknownPageProps {
  readonly page: PageContext;
  /** What was being saved, as the subject of a sentence: "The measurement", "The import". */
  readonly what: string;
  /** Where the form posts again. */
  readonly action: string;
  /** The form's fields as they were posted, idempotency key included, for the safe resubmission. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * After a write timed out (or the connection dropped) the front cannot know whether the API
 * saved it. It says so, and offers to send the same form again: it carries the same
 * Idempotency-Key, so the API saves it at most once and answers the retry with the outcome.
 */
export function OutcomeUnknownPage(props: OutcomeUnknownPageProps) {
  return (
    <Layout page={props.page} title="The outcome is unknown">
      <div class="message-page">
        <h1>The outcome is unknown</h1>
        <p>
          {props.what} was sent, but the measurements service did not answer in time, so it may or may not have been saved.
          Submitting it again is safe: it carries the same key, so it cannot be saved twice.
        </p>
        <form method="post" action={props.action} class="actions">
          <CsrfField token={props.page.csrfToken} />
          {Object.entries(props.fields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <button type="submit" class="button button-primary">Submit again</button>
          <a class="button" href="/measurements">Check the measurements</a>
        </form>
      </div>
    </Layout>
  );
}
