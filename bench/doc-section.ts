import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const BENCHMARKS_DOC = path.resolve(import.meta.dirname, '..', 'docs', 'benchmarks.md');

/**
 * Replaces one `## ` section of docs/benchmarks.md (from its heading to the next `## `), or appends it,
 * so that each benchmark rewrites its own figures and leaves the others' alone.
 */
export function writeBenchmarkSection(heading: string, section: string): void {
  const doc = readFileSync(BENCHMARKS_DOC, 'utf8');
  const start = doc.indexOf(heading);
  let out: string;
  if (start < 0) out = `${doc.trimEnd()}\n\n${section.trimEnd()}\n`;
  else {
    const next = doc.indexOf('\n## ', start + 3);
    out = doc.slice(0, start) + section.trimEnd() + '\n' + (next < 0 ? '' : doc.slice(next));
  }
  writeFileSync(BENCHMARKS_DOC, out);
}
