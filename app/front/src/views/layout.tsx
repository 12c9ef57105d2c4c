import type { ComponentChildren } from 'preact';
import type { SessionUser } from '../auth/roles';
import type { SystemStatus } from '../status';
import { Footer } from './footer';
import { UserBox } from './user-box';

export type Section = 'measurements' | 'stations' | 'import';

/** What every page needs besides its own data; built once per request by the app. */
export interface PageContext {
  readonly csrfToken: string;
  readonly cssHref: string;
  readonly iconHref: string;
  readonly status: SystemStatus;
  /** The signed-in person; undefined for a visitor (ANONYMOUS_READ). */
  readonly user?: SessionUser;
  /** True when the user may add, edit, delete and import: only then are those actions offered. */
  readonly canWrite: boolean;
  /** Where "Sign in" goes (back to this page afterwards). */
  readonly signInHref: string;
}

const SECTIONS: ReadonlyArray<{ id: Section; href: string; label: string; write?: boolean }> = [
  { id: 'measurements', href: '/measurements', label: 'Measurements' },
  { id: 'stations', href: '/stations', label: 'Stations' },
  { id: 'import', href: '/import', label: 'Import CSV', write: true },
];

export function Layout(props: {
  page: PageContext;
  title: string;
  section?: Section;
  children: ComponentChildren;
}) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · EcoData`}</title>
        <link rel="stylesheet" href={props.page.cssHref} />
        <link rel="icon" href={props.page.iconHref} type="image/svg+xml" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to content</a>
        <header class="site-header">
          <a class="brand" href="/measurements">EcoData</a>
          <nav aria-label="Main">
            <ul>
              {SECTIONS.filter((s) => !s.write || props.page.canWrite).map((s) => (
                <li key={s.id}>
                  <a href={s.href} aria-current={s.id === props.section ? 'page' : undefined}>{s.label}</a>
                </li>
              ))}
            </ul>
          </nav>
          <UserBox page={props.page} />
        </header>
        <main id="main" tabIndex={-1}>
          {props.children}
        </main>
        <Footer status={props.page.status} />
      </body>
    </html>
  );
}
