import { Layout, type PageContext } from './layout';

/** Where sign-out lands when the provider offers no logout of its own. */
export function SignedOutPage(props: { page: PageContext }) {
  return (
    <Layout page={props.page} title="Signed out">
      <div class="message-page">
        <h1>You are signed out</h1>
        <p>Your EcoData session has ended in this browser.</p>
        <p class="actions">
          <a class="button button-primary" href="/auth/sign-in">Sign in again</a>
        </p>
      </div>
    </Layout>
  );
}
