import type { Executor } from './open-database.ts';

export interface ReadsTogether<A, R> {
  /** Reads running at once per database; a read that arrives beyond waits for one of them to return. */
  concurrency: number;
  /** At most this many waiting reads in one statement. */
  max: number;
  /** Only reads of the same group go together (e.g. the same reader, whose rights the statement checks once). */
  group: (arg: A) => string;
  readOne: (db: Executor, arg: A) => Promise<R>;
  /** The results of several reads of one group, in the order of `args`. */
  readMany: (db: Executor, args: A[]) => Promise<R[]>;
}

interface Waiting<A, R> {
  arg: A;
  resolve: (r: R) => void;
  reject: (e: unknown) => void;
}

/**
 * Reads of one kind that arrive while `concurrency` of them are running wait, and go together in one statement as
 * soon as one of those returns: under load, one round trip and one run of the plan serve many callers (an API
 * consultation by 50 concurrent clients: ≈ 0.17 ms of PostgreSQL per invoice read alone, ≈ 0.06–0.1 ms in tens;
 * docs/benchmarks.md). A read that finds a free place goes at once, alone, as before: no added wait when the
 * server is quiet. Groups are served oldest first; an error fails the reads of its statement only.
 */
export function readsTogether<A, R>(options: ReadsTogether<A, R>): (db: Executor, arg: A) => Promise<R> {
  const states = new WeakMap<object, { running: number; waiting: Map<string, Waiting<A, R>[]> }>();
  const stateOf = (db: Executor) => {
    let s = states.get(db);
    if (!s) states.set(db, (s = { running: 0, waiting: new Map() }));
    return s;
  };

  const dispatch = (db: Executor, s: ReturnType<typeof stateOf>) => {
    while (s.running < options.concurrency && s.waiting.size) {
      const [key, queue] = s.waiting.entries().next().value as [string, Waiting<A, R>[]];
      const batch = queue.splice(0, options.max);
      s.waiting.delete(key);
      // What is left of the group goes behind the groups that waited meanwhile.
      if (queue.length) s.waiting.set(key, queue);
      s.running++;
      const read = (async () => (batch.length === 1 ? [await options.readOne(db, batch[0]!.arg)] : options.readMany(db, batch.map((w) => w.arg))))();
      void read.then(
        (results) => batch.forEach((w, i) => w.resolve(results[i]!)),
        (err) => batch.forEach((w) => w.reject(err)),
      ).finally(() => {
        s.running--;
        dispatch(db, s);
      });
    }
  };

  return (db, arg) =>
    new Promise<R>((resolve, reject) => {
      const s = stateOf(db);
      const key = options.group(arg);
      const queue = s.waiting.get(key);
      if (queue) queue.push({ arg, resolve, reject });
      else s.waiting.set(key, [{ arg, resolve, reject }]);
      dispatch(db, s);
    });
}
