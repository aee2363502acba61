import type { FilterNode } from '../filter/ast.js';
import type { ResolvedPath } from '../schemas/resolve.js';

export type PatchOp = 'add' | 'replace' | 'remove';

/** Where an operation points (RFC 7644 §3.5.2 `path`), resolved against the resource type. */
export type PatchTarget =
  /**
   * A schema attribute. `path.subAttribute` is the dotted sub-attribute (`name.givenName`) or, with a
   * filter, the one after the brackets (`emails[type eq "work"].value`).
   */
  | { kind: 'attribute'; path: ResolvedPath; filter?: FilterNode }
  /** An extension this server does not define (Entra custom attributes), kept as sent; no `attribute` = the whole object. */
  | { kind: 'extension'; urn: string; attribute?: string };

/**
 * One canonical operation. Path-less add/replace arrive already expanded into one operation per attribute,
 * so every operation has a target.
 */
export interface PatchOperation {
  op: PatchOp;
  target: PatchTarget;
  /** Coerced to the target's type (Group `members`: MemberRef[]); undefined means "no value". */
  value: unknown;
  /** The path as the client wrote it (or the key of a path-less value), for error details. */
  label: string;
}
