/**
 * A browser-less person signing in with the identity provider: two cookie jars (Rollcall's and the
 * provider's), every redirect followed by hand so each step can be looked at or changed.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  header(): Record<string, string> {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const gone = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a) || /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (gone) this.cookies.delete(name);
      else this.cookies.set(name, pair!.slice(at + 1).trim());
    }
  }
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [k, v] of this.cookies) copy.cookies.set(k, v);
    return copy;
  }
}

export async function visit(url: string | URL, jar: CookieJar, init: { method?: string; form?: Record<string, string>; client?: string } = {}): Promise<Response> {
  const res = await fetch(url, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    redirect: 'manual',
    headers: {
      ...jar.header(),
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...(init.client ? { 'x-forwarded-for': init.client } : {}),
    },
    ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
  });
  jar.take(res);
  return res;
}

export interface Walk {
  /** Rollcall's jar, holding the sealed pending sign-in. */
  rollcall: CookieJar;
  /** Where the provider sends the browser back: the callback with code, state and iss (or an error). */
  callback: URL;
  /** The authorization request as sent to the provider. */
  authorization: URL;
}

/**
 * Start at Rollcall, sign in at the provider as `account` (or press Cancel), and stop at the callback
 * without opening it. `changeRequest` edits the authorization request on its way to the provider.
 */
export async function walkToCallback(
  consoleUrl: string,
  account: string,
  options: { client?: string; changeRequest?: (url: URL) => void; cancel?: boolean; rollcall?: CookieJar } = {},
): Promise<Walk> {
  const rollcall = options.rollcall ?? new CookieJar();
  const start = await visit(`${consoleUrl}/console/auth/start`, rollcall, options.client ? { client: options.client } : {});
  if (start.status !== 303) throw new Error(`start: ${start.status} ${await start.text()}`);
  const authorization = new URL(start.headers.get('location')!);
  options.changeRequest?.(authorization);
  const idp = new CookieJar();
  let res = await visit(authorization, idp);
  let here = authorization;
  for (let hops = 0; hops < 10; hops++) {
    if (res.status === 200 && here.pathname.startsWith('/interaction/')) {
      await res.text();
      res = await visit(here, idp, { form: { login: account, action: options.cancel ? 'cancel' : 'login' } });
      continue;
    }
    if (res.status !== 302 && res.status !== 303) throw new Error(`provider: ${res.status} at ${here.pathname}: ${await res.text()}`);
    await res.arrayBuffer();
    const next = new URL(res.headers.get('location')!, here);
    if (next.href.startsWith(consoleUrl)) return { rollcall, callback: next, authorization };
    here = next;
    res = await visit(here, idp);
  }
  throw new Error('provider: too many redirects');
}
