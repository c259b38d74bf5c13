import helmet from 'helmet';

/**
 * The security headers of every answer (pages, API, files): helmet's, with this platform's content security
 * policy. helmet is run once, on a recording response, and its headers are then set as they are on each answer:
 * @fastify/helmet rebuilt helmet's middleware — parsing the policy's directives — on every request, about 5 % of
 * an API read's CPU (docs/benchmarks.md). None of these headers depends on the request.
 */
export function securityHeaders(options: { hsts: boolean }): Readonly<Record<string, string>> {
  const middleware = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    // Only behind HTTPS (secure cookies): a browser would keep it for a year.
    strictTransportSecurity: options.hsts,
  });
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => void (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
  };
  let failed: unknown;
  middleware({} as never, recorder as never, (err?: unknown) => void (failed = err));
  if (failed) throw failed;
  return Object.freeze(headers);
}
