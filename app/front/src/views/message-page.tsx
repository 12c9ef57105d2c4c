import { Layout, type PageContext } from './layout';

/** A page that only explains something went wrong, and what the user can do. */
export function MessagePage(props: { page: PageContext; title: string; message: string; retryHref?: string; offerSignIn?: boolean; offerBack?: boolean }) {
  return (
    <Layout page={props.page} title={props.title}>
      <div class="message-page">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p class="actions">
          {props.offerSignIn ? <a class="button button-primary" href={props.page.signInHref}>Sign in</a> : null}
          {props.retryHref ? <a class="button button-primary" href={props.retryHref}>Try again</a> : null}
          {props.offerBack === false ? null : <a class="button" href="/measurements">Back to measurements</a>}
        </p>
      </div>
    </Layout>
  );
}
