import { AppError, httpStatusOf } from '../shared/app-error.ts';
import type { FormState } from './render.ts';

/**
 * Runs a form's action. Null when it succeeded; otherwise the form state to re-render with the
 * French messages, and the HTTP status of the error. Unexpected errors go to the error page.
 */
export async function attempt(values: Record<string, string>, run: () => Promise<unknown>): Promise<{ form: FormState; status: number } | null> {
  try {
    await run();
    return null;
  } catch (err) {
    if (err instanceof AppError && err.kind !== 'INTERNAL')
      return { form: { values, errors: err.fields ?? {}, message: err.userMessage }, status: httpStatusOf[err.kind] };
    throw err;
  }
}
