import type { ResolvedPath } from '../schemas/resolve.js';

/** RFC 7644 §3.4.2.2 comparison operators. */
export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';

/**
 * A filter after parsing and resolution against a resource type: every path is known,
 * names are canonical, and values are typed by the attribute they compare against.
 * Storage adapters translate this tree; they never see the filter text.
 */
export type FilterNode =
  | { kind: 'compare'; path: ResolvedPath; op: CompareOp; value: string | number | boolean | null }
  | { kind: 'present'; path: ResolvedPath }
  | { kind: 'and'; children: FilterNode[] }
  | { kind: 'or'; children: FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  /**
   * `emails[type eq "work" and value co "@x"]`: `path` names the multi-valued attribute; inside `filter`
   * every path is a sub-attribute of it, and all conditions must hold for the same element.
   */
  | { kind: 'valuePath'; path: ResolvedPath; filter: FilterNode };
