import type { App } from '../../src/app.ts';
import { PASSWORD } from './factories.ts';

/** Cookies of a response merged into a Cookie header. */
export const cookiesOf = (res: { cookies: Array<{ name: string; value: string }> }, previous = '') => {
  const jar = new Map(previous.split('; ').filter(Boolean).map((c) => c.split('=') as [string, string]));
  for (const c of res.cookies) jar.set(c.name, c.value);
  return [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
};

/** A browser-like client logged in through the login form: GET pages, POST forms with their CSRF token. */
export async function webSession(app: App, email: string, password = PASSWORD) {
  const http = app.http!;
  const form = await http.inject({ method: 'GET', url: '/connexion' });
  let cookie = cookiesOf(form);
  const csrfOf = (html: string) => html.match(/name="_csrf" value="([^"]+)"/)?.[1] ?? '';
  const login = await http.inject({
    method: 'POST',
    url: '/connexion',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
    payload: new URLSearchParams({ _csrf: csrfOf(form.body), email, password }).toString(),
  });
  if (login.statusCode !== 303) throw new Error(`web login failed: ${login.statusCode}`);
  cookie = cookiesOf(login, cookie);
  const get = async (url: string) => {
    const res = await http.inject({ method: 'GET', url, headers: { cookie } });
    cookie = cookiesOf(res, cookie);
    return res;
  };
  return {
    get,
    /** Opens `page` for its CSRF token, then posts the form fields to `action`. */
    async submit(page: string, action: string, fields: Record<string, string | string[]>) {
      const opened = await get(page);
      const body = new URLSearchParams({ _csrf: csrfOf(opened.body) });
      for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      const res = await http.inject({ method: 'POST', url: action, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload: body.toString() });
      cookie = cookiesOf(res, cookie);
      return res;
    },
    /** Opens `page` for its CSRF token, then posts a multipart form (fields and files) to `action`. */
    async upload(page: string, action: string, fields: Record<string, string>, files: Array<{ field: string; name: string; bytes: Buffer; type?: string }>) {
      const opened = await get(page);
      const boundary = `----ouvrage${Date.now()}${Math.random().toString(36).slice(2)}`;
      const parts: Buffer[] = [];
      for (const [k, v] of Object.entries({ _csrf: csrfOf(opened.body), ...fields })) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
      for (const f of files) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.name}"\r\nContent-Type: ${f.type ?? 'application/octet-stream'}\r\n\r\n`), f.bytes, Buffer.from('\r\n'));
      parts.push(Buffer.from(`--${boundary}--\r\n`));
      const res = await http.inject({ method: 'POST', url: action, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie }, payload: Buffer.concat(parts) });
      cookie = cookiesOf(res, cookie);
      return res;
    },
  };
}
