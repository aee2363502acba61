import { DomainError } from '../errors.js';

/** Weak ETags from the row's version counter (RFC 7644 §3.14). */
export const etagOf = (version: number): string => `W/"${version}"`;

function listed(header: string): string[] {
  return header.split(',').map((t) => t.trim().replace(/^W\//, ''));
}

/** `If-Match`: `*` or one of the listed tags must name the current version, else 412. */
export function checkIfMatch(header: string | undefined, version: number): void {
  if (header === undefined || header.trim() === '*') return;
  if (!listed(header).includes(`"${version}"`)) {
    throw new DomainError('precondition_failed', `The resource has changed: its current version is ${etagOf(version)}`);
  }
}

/** `If-None-Match` on a read: true when the client's copy is current, so the answer is 304. */
export function isNotModified(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  return header.trim() === '*' || listed(header).includes(`"${version}"`);
}
