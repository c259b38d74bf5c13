import type { FastifyRequest } from 'fastify';
import type { Child } from 'hono/jsx';
import { AppError } from '../shared/app-error.ts';

/** A file field of a multipart form parsed with attachFieldsToBody. */
interface Part { value?: unknown; filename?: string; _buf?: Buffer; file?: { truncated?: boolean } }
const partsOf = (req: FastifyRequest) => (req.body ?? {}) as Record<string, Part | Part[]>;
const first = (p: Part | Part[] | undefined) => (Array.isArray(p) ? p[0] : p);

/** The CSRF token of a multipart form is a field object: give the CSRF check its plain value. */
export async function csrfOfMultipart(req: FastifyRequest) {
  const b = req.body as Record<string, unknown> | undefined;
  const t = b ? first(b._csrf as Part) : undefined;
  if (b && t && typeof t === 'object') b._csrf = String(t.value ?? '');
}
export const multipartValue = (req: FastifyRequest, name: string) => {
  const p = first(partsOf(req)[name]);
  return p && !p.filename ? String(p.value ?? '') : '';
};
/** The XML file of a multipart form (optional), or a French field error when too large. */
export function multipartFile(req: FastifyRequest, name: string): { filename: string; bytes: Buffer } | undefined {
  const p = first(partsOf(req)[name]);
  if (!p?.filename || !p._buf?.byteLength) return undefined;
  if (p.file?.truncated) throw new AppError('TOO_LARGE', 'FILE_TOO_LARGE', 'Le fichier dépasse 20 Mo.', { [name]: 'Le fichier dépasse 20 Mo.' });
  return { filename: p.filename, bytes: p._buf };
}

/** The steps of a wizard, the current one marked for assistive technologies. */
export const Steps = ({ steps, current }: { steps: { label: string; href?: string }[]; current: number }) => (
  <nav aria-label="Étapes">
    <ol class="steps">
      {steps.map((s, i) => (
        <li>{i === current ? <strong aria-current="step">{`Étape ${i + 1} : ${s.label}`}</strong> : s.href ? <a href={s.href}>{`Étape ${i + 1} : ${s.label}`}</a> : `Étape ${i + 1} : ${s.label}`}</li>
      ))}
    </ol>
  </nav>
);

export const Fact = ({ label, children }: { label: string; children?: Child }) => (
  <>
    <dt>{label}</dt>
    <dd>{children}</dd>
  </>
);
