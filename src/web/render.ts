import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../shared/app-error.ts';

/** Sends a JSX page as HTML. */
export async function sendPage(reply: FastifyReply, element: unknown, status = 200) {
  const body = await Promise.resolve((element as { toString(): string | Promise<string> }).toString());
  return reply.status(status).type('text/html; charset=utf-8').send('<!doctype html>' + body);
}

/** A fresh CSRF token for the forms of the page being rendered. */
export const csrfToken = (reply: FastifyReply) => reply.generateCsrf();

/** Form values as strings (url-encoded bodies only carry strings). */
export function formValues(req: FastifyRequest): Record<string, string> {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (k !== '_csrf') out[k] = Array.isArray(v) ? String(v[0] ?? '') : String(v ?? '');
  return out;
}

/** Values of a multi-valued form field (checkboxes). */
export function formList(req: FastifyRequest, name: string): string[] {
  const v = ((req.body ?? {}) as Record<string, unknown>)[name];
  if (v === undefined || v === null || v === '') return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
  message?: string;
}
export const emptyForm = (values: Record<string, string> = {}): FormState => ({ values, errors: {} });

/**
 * Runs a form's action; a user error re-renders the form with the French messages
 * (status 400 for validation, the error's status otherwise). Other errors go to the error page.
 */
export async function submitForm(
  reply: FastifyReply,
  values: Record<string, string>,
  action: () => Promise<unknown>,
  rerender: (state: FormState) => unknown,
): Promise<boolean> {
  try {
    await action();
    return true;
  } catch (err) {
    if (err instanceof AppError && err.kind !== 'INTERNAL') {
      const status = { VALIDATION: 400, CONFLICT: 409, FORBIDDEN: 403, UNAUTHENTICATED: 401, LOCKED: 423, GONE: 410, NOT_FOUND: 404, TOO_LARGE: 413, RATE_LIMITED: 429, UNAVAILABLE: 503 }[err.kind];
      await sendPage(reply, rerender({ values, errors: err.fields ?? {}, message: err.userMessage }), status);
      return false;
    }
    throw err;
  }
}

export const redirect = (reply: FastifyReply, to: string) => reply.status(303).redirect(to);
