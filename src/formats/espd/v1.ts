import type { EspdDocument } from './model.ts';
import { EspdError } from './errors.ts';
import type { XNode } from './xml.ts';

/** Reader of ESPD-EDM 1.0.x (`ESPDRequest-1` / `ESPDResponse-1`). */
export function readV1(_root: XNode, _kind: 'request' | 'response'): EspdDocument {
  throw new EspdError('ESPD_VERSION_UNSUPPORTED', 'La lecture des DUME ESPD-EDM 1.0.2 n’est pas encore disponible.');
}
