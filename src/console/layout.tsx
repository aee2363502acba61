import type { Child } from 'hono/jsx';
import type { ConsoleSession } from '../auth/console-sessions.js';
import { allows, type Area } from './context.js';

export const ASSET_VERSION = 'v3';
const asset = (name: string) => `/console/static/${ASSET_VERSION}/${name}`;

const NAV: { area: Area; href: string; label: string }[] = [
  { area: 'overview', href: '', label: 'Overview' },
  { area: 'idp', href: '/idp', label: 'Identity provider' },
  { area: 'hr', href: '/hr', label: 'HR systems' },
  { area: 'hr', href: '/people', label: 'People' },
  { area: 'teams', href: '/teams', label: 'Team sync' },
  { area: 'idp', href: '/tokens', label: 'Tokens' },
  { area: 'authority', href: '/authority', label: 'Source of authority' },
  { area: 'authority', href: '/conflicts', label: 'Conflicts' },
  { area: 'authority', href: '/attributes', label: 'Your attributes' },
  { area: 'admin', href: '/webhooks', label: 'Webhooks' },
  { area: 'admin', href: '/audit', label: 'Audit log' },
  { area: 'admin', href: '/feed', label: 'Change feed' },
];

export interface PageProps {
  title: string;
  session?: ConsoleSession;
  csrf?: string;
  /** The tenant the page is about, for the navigation. */
  slug?: string;
  /** The navigation entry to mark as current. */
  current?: string;
  children?: Child;
}

/** Every console page: landmarks, a skip link, navigation limited to the session's intent, sign-out and "Done". */
export function Page(props: PageProps) {
  const { session, csrf, slug } = props;
  const base = slug ? `/console/t/${slug}` : '';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false,"allowScriptTags":false}' />
        <title>{`${props.title} · Rollcall`}</title>
        <link rel="stylesheet" href={asset('console.css')} />
        <script src={asset('htmx.min.js')} defer></script>
        <script src={asset('console.js')} defer></script>
      </head>
      <body hx-headers={csrf ? JSON.stringify({ 'x-csrf-token': csrf }) : undefined}>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <strong>Rollcall{session?.tenant ? ` · ${session.tenant.name}` : slug ? ` · ${slug}` : ''}</strong>
          {session ? (
            <div>
              <span class="who">{session.role === 'operator' ? 'Operator' : session.role === 'auditor' ? 'Auditor' : 'Admin'}</span>{' '}
              {session.role === 'operator' ? (
                <a href="/console">All tenants</a>
              ) : null}{' '}
              {session.returnUrl ? (
                <a class="button secondary" href={session.returnUrl} rel="noreferrer">
                  Done
                </a>
              ) : null}{' '}
              <form method="post" action="/console/sign-out">
                <input type="hidden" name="_csrf" value={csrf ?? ''} />
                <button type="submit" class="secondary">
                  Sign out
                </button>
              </form>
            </div>
          ) : null}
        </header>
        {session && slug ? (
          <nav class="main" aria-label="Console">
            <ul>
              {NAV.filter((n) => allows(session.intent, n.area)).map((n) => (
                <li>
                  <a href={`${base}${n.href}`} aria-current={props.current === n.href ? 'page' : undefined}>
                    {n.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <main id="main">{props.children}</main>
      </body>
    </html>
  );
}

/** A hidden CSRF field for a form. */
export const Csrf = (props: { token: string }) => <input type="hidden" name="_csrf" value={props.token} />;

export function ErrorBox(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="error" role="alert">
      {props.message}
    </p>
  ) : null;
}

/** The outcome of the last action, read out politely by screen readers (an error is an alert, above). */
export function Notice(props: { message?: string | undefined }) {
  return props.message ? (
    <p class="notice" role="status">
      {props.message}
    </p>
  ) : null;
}

export const when = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString().replace('T', ' ').slice(0, 19) + ' UTC' : '—');

/** A URL as pages show it: origin and path only, since a receiver's query string can carry its own key. */
export const safeUrl = (raw: string) => {
  try {
    const url = new URL(raw);
    return `${url.origin}${url.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};
