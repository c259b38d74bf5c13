/**
 * A counter of credential changes in this process: a password reset, a deactivated or locked account, a revoked
 * application, an ended rattachement. Caches of verified credentials (the Chorus-compatible API's callers) keep
 * what they verified with the counter's value and throw it away once the counter moved, so that such a change
 * takes effect on the very next call. Bump it after the change is committed: a read that starts after the bump
 * sees the new state.
 *
 * Other processes on the same database (a second `ouvrage serve`, `ouvrage worker`) do not see the bump: their
 * caches forget on their own after a few seconds (docs/api-cpro.md). The HTTP processes of one `ouvrage serve`
 * started with SERVE_PROCESSES pass it on to each other (src/http/cluster.ts).
 */
let epoch = 0;
const listeners = new Set<() => void>();

export const credentialsEpoch = () => epoch;

/** A credential changed in this process: forget every cached verification, here and in the sibling workers. */
export function credentialsChanged(): void {
  epoch++;
  for (const l of listeners) l();
}

/** A sibling process reported a change (no re-broadcast). */
export function credentialsChangedElsewhere(): void {
  epoch++;
}

/** Called on each local change (the cluster worker forwards it to its siblings). */
export function onCredentialsChanged(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
