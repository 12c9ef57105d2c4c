import { CsrfField } from './form-fields';
import type { PageContext } from './layout';

const ROLE_TEXT = { editor: 'editor', viewer: 'viewer, read only' } as const;

/** Who is signed in, with which role, and a sign-out button (a POST form with the CSRF token); or a sign-in link. */
export function UserBox({ page }: { page: PageContext }) {
  if (!page.user) {
    return (
      <div class="user-box">
        <a class="button" href={page.signInHref}>Sign in</a>
      </div>
    );
  }
  return (
    <div class="user-box">
      <p class="user-name">
        Signed in as <strong>{page.user.displayName}</strong>{' '}
        <span class="user-role">({page.user.role ? ROLE_TEXT[page.user.role] : 'no role'})</span>
      </p>
      <form method="post" action="/auth/sign-out">
        <CsrfField token={page.csrfToken} />
        <button type="submit" class="button">Sign out</button>
      </form>
    </div>
  );
}
