import type { FilterNode } from './filter/ast.js';
import type { PatchOperation } from './patch/types.js';
import type { MemberRef, ParsedResource, ResourceDoc } from './resource/document.js';
import type { ResolvedPath } from './schemas/resolve.js';
import type { ResourceTypeDef } from './schemas/types.js';

/**
 * What the SCIM routes need from storage. The routes know nothing of SQL; `src/directory`
 * implements this port for users and groups.
 */
export interface ScimCaller {
  tenantId: string;
  /** The token that made the call, recorded as the source of each change. */
  tokenId: string;
  requestId: string;
  /** The resource type as the caller's tenant has it (its own extension included); absent: the server's own. */
  resourceType?: ResourceTypeDef;
}

export interface StoredResource {
  id: string;
  doc: ResourceDoc;
  version: number;
  created: Date;
  lastModified: Date;
  /** Group members, when the caller asked for them. */
  members?: MemberRef[];
  /** A user's groups (derived, direct), when the caller asked for them. */
  groups?: { value: string; display: string }[];
  /**
   * `doc` as the JSON text the database printed, when the store read it so. An answer that takes
   * nothing out of the document splices this text in (scim/http/resource-json.ts) rather than
   * parsing and serialising it again; a store that changes `doc` must drop it.
   */
  docText?: string;
  /**
   * With `docText`: the enterprise manager's `value` when the document has one as a string, which
   * the answer gives a `$ref` (toScim); read beside the text so the splice need not parse it.
   */
  docTextManager?: string;
}

export interface Preconditions {
  /** The `If-Match` header as sent; a mismatch is `precondition_failed`. */
  ifMatch?: string;
  /** Whether the answer needs the related list (e.g. a group's members); PATCH answered 204 does not. */
  withRelations?: boolean;
  /** As in ReadOptions: the `returned: request` attributes the answer shows. */
  requested?: string[];
}

export interface ReadOptions {
  /** Whether to load the related list (a group's members, a user's groups); false keeps big groups cheap. */
  withRelations: boolean;
  /**
   * Canonical names of the `returned: request` attributes the answer shows (`attributes` named them):
   * the store loads, or opens, those only when asked. Absent means none.
   */
  requested?: string[];
}

export interface ListQuery extends ReadOptions {
  filter?: FilterNode;
  sortBy?: ResolvedPath;
  descending: boolean;
  /** 1-based (RFC 7644 §3.4.2.4). */
  startIndex: number;
  count: number;
}

export interface CursorQuery extends ReadOptions {
  filter?: FilterNode;
  /** Id of the last record of the previous page, or undefined for the first page. */
  after?: string;
  /**
   * Id of the first record of the following page: read the `count` records just before it, returned
   * in ascending order (RFC 9865 `previousCursor`). Exclusive with `after`.
   */
  before?: string;
  count: number;
}

export interface ListPage {
  total: number;
  resources: StoredResource[];
  /** Cursor queries: whether records lie beyond this page in the direction read (after it, or before it for `before`). */
  more?: boolean;
}

export interface ResourceStore {
  create(caller: ScimCaller, input: ParsedResource): Promise<StoredResource>;
  get(caller: ScimCaller, id: string, options: ReadOptions): Promise<StoredResource>;
  list(caller: ScimCaller, query: ListQuery): Promise<ListPage>;
  listAfter(caller: ScimCaller, query: CursorQuery): Promise<ListPage>;
  replace(caller: ScimCaller, id: string, input: ParsedResource, pre: Preconditions): Promise<StoredResource>;
  patch(caller: ScimCaller, id: string, ops: PatchOperation[], pre: Preconditions): Promise<StoredResource>;
  delete(caller: ScimCaller, id: string, pre: Preconditions): Promise<void>;
}

export interface ScimStore {
  users: ResourceStore;
  groups: ResourceStore;
}
