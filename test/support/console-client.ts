/** A browser-less console visitor: one cookie jar, the CSRF token read from the last page. */
export interface ConsoleClient {
  cookie?: string;
  csrf?: string;
  get(path: string): Promise<{ status: number; html: string; headers: Headers }>;
  post(path: string, form: Record<string, string | string[]>, opts?: { csrf?: string | null }): Promise<{ status: number; html: string; headers: Headers }>;
  /** Opens a setup (or login) link and presses Continue: the session starts. */
  signIn(linkUrl: string): Promise<{ status: number; location: string | null }>;
}

export function consoleClient(base: string): ConsoleClient {
  const client: ConsoleClient = {
    async get(path) {
      const res = await fetch(new URL(path, base), { redirect: 'manual', headers: client.cookie ? { cookie: client.cookie } : {} });
      const html = await res.text();
      const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
      if (csrf) client.csrf = csrf;
      return { status: res.status, html, headers: res.headers };
    },
    async post(path, form, opts = {}) {
      const body = new URLSearchParams();
      for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      const csrf = opts.csrf === undefined ? client.csrf : opts.csrf;
      if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
      const res = await fetch(new URL(path, base), {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(client.cookie ? { cookie: client.cookie } : {}) },
        body,
      });
      const setCookie = res.headers.get('set-cookie');
      if (setCookie) client.cookie = setCookie.split(';')[0];
      return { status: res.status, html: await res.text(), headers: res.headers };
    },
    async signIn(linkUrl) {
      const url = new URL(linkUrl);
      const token = url.searchParams.get('token') ?? '';
      const res = await client.post(url.pathname, { token }, { csrf: null });
      return { status: res.status, location: res.headers.get('location') };
    },
  };
  return client;
}
