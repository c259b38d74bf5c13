#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node --max-semi-space-size=64 --no-allocation-site-pretenuring
// Entry point of the `ouvrage` command: loads the TypeScript sources through tsx. Node's flags and environment are
// those of package.json's start and ouvrage scripts (docs/operations.md, « Node's young generation », « Large
// buffers on huge pages »).
import { register } from 'tsx/esm/api';
register();
// `validate` loads only what it needs (cold start of a one-file check); everything else goes through main.ts.
if (process.argv[2] === 'validate') await import('../src/cli/validate-main.ts');
else await import('../src/main.ts');
