import type { ResourceDoc } from '../../../scim/resource/document.js';
import { URN } from '../../../scim/schemas/urns.js';

/**
 * Rollcall's HR extension as the directory stores it: where a user comes from and the HR fields with
 * no SCIM home. The directory owns this document; the HR sync writes it through the directory's verbs.
 */

/** Lifecycle of a user in the directory (product.md, "People"). */
export type Lifecycle = 'candidate' | 'invited' | 'active' | 'archived';
/** Who owns a user's HR fields: an HR connection (managed), nobody any more (released), or nobody ever (manual). */
export type Management = 'managed' | 'released' | 'manual';

export const HR_URN = URN.hrUser;

/** The HR extension as stored in a user document (every attribute is readOnly over SCIM). */
export interface HrExtension {
  lifecycle: Lifecycle;
  management: Management;
  /** The managing (or, once released, the last managing) connection. */
  connection?: { value: string; display: string };
  remoteId?: string;
  location?: string;
  startDate?: string;
  terminationDate?: string;
}

/**
 * The paths an HR connection fills in from the employee. With no rules of its own, a tenant's HR
 * connection owns exactly these while it manages a user (src/directory/authority/rules.ts).
 */
export const HR_PATHS = [
  'userName',
  'name.givenName',
  'name.familyName',
  'displayName',
  'title',
  'emails',
  `${URN.enterpriseUser}:employeeNumber`,
  `${URN.enterpriseUser}:costCenter`,
  `${URN.enterpriseUser}:department`,
  `${URN.enterpriseUser}:manager.value`,
] as const;

export function hrExtensionOf(doc: ResourceDoc | Record<string, unknown>): HrExtension | undefined {
  const ext = doc[HR_URN];
  return ext && typeof ext === 'object' && !Array.isArray(ext) ? (ext as unknown as HrExtension) : undefined;
}

/** A user whose HR fields a connection owns right now. */
export function managingConnection(doc: ResourceDoc | Record<string, unknown>): string | undefined {
  const ext = hrExtensionOf(doc);
  return ext?.management === 'managed' ? ext.connection?.value : undefined;
}
