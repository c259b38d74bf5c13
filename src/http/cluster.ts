import cluster from 'node:cluster';
import { credentialsChangedElsewhere, onCredentialsChanged } from '../accounts/index.ts';

/**
 * `ouvrage serve` on several cores (SERVE_PROCESSES): the primary process forks the HTTP processes, which share
 * the port (connections are dealt round-robin), and passes a credential change made in one of them to the others
 * (src/accounts/credentials-changes.ts), so that a revoked application is refused by all of them on the next call.
 */
const CREDENTIALS_CHANGED = 'ouvrage:credentials-changed';
const READY = 'ouvrage:ready';

/** The primary: forks `count` HTTP processes; `onReady` once all listen. One dying stops the whole server. */
export function runServeCluster(count: number, onReady: () => void): void {
  let ready = 0;
  let stopping = false;
  for (let i = 0; i < count; i++) {
    const worker = cluster.fork();
    worker.on('message', (m: unknown) => {
      if (m === READY && ++ready === count) onReady();
      if (m === CREDENTIALS_CHANGED) for (const other of Object.values(cluster.workers ?? {})) if (other && other !== worker && other.isConnected()) other.send(CREDENTIALS_CHANGED);
    });
  }
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) {
      if (!Object.keys(cluster.workers ?? {}).length) process.exit(0);
      return;
    }
    console.error(`Le processus HTTP ${worker.process.pid} s'est arrêté (${signal ?? code}) : arrêt du serveur.`);
    stop();
    process.exitCode = 1;
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    setTimeout(() => process.exit(1), 20_000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/** An HTTP process of the cluster, once it listens: credential changes go both ways; it ends with its primary. */
export function joinServeCluster(): void {
  onCredentialsChanged(() => process.send?.(CREDENTIALS_CHANGED));
  process.on('message', (m: unknown) => {
    if (m === CREDENTIALS_CHANGED) credentialsChangedElsewhere();
  });
  process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  process.send?.(READY);
}

export const isClusterWorker = () => cluster.isWorker;
/** The first HTTP process of the cluster runs the background jobs (when WORKERS=on). */
export const isFirstClusterWorker = () => cluster.isWorker && cluster.worker?.id === 1;
