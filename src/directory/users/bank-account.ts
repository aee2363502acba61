import type { StoredResource } from '../../../scim/store-port.js';
import { HR_URN, hrExtensionOf } from '../documents/hr-extension.js';

/** Opens a value sealed with the server's secret key (`open` of src/crypto/secret-box.ts, key applied). */
export type OpenSealed = (sealed: string) => string;

/** The canonical name SCIM answers request the bank account by (ReadOptions `requested`). */
export const BANK_ACCOUNT = `${HR_URN}:bankAccount`;

const FIELDS = ['iban', 'bic', 'holder'] as const;

function opened(sealed: string, open: OpenSealed): Record<string, string> | undefined {
  try {
    const value = JSON.parse(open(sealed)) as Record<string, unknown>;
    const shown = Object.fromEntries(FIELDS.flatMap((f) => (typeof value?.[f] === 'string' && value[f] !== '' ? [[f, value[f] as string]] : [])));
    return Object.keys(shown).length > 0 ? shown : undefined;
  } catch {
    // Sealed under another key or damaged: the answer goes without it rather than failing whole.
    return undefined;
  }
}

/**
 * A user as a SCIM answer shows it. The bank account is stored sealed: it is opened only when the
 * answer names it and left out otherwise; its digest never leaves the store. Documents without
 * either come back as they are, so ordinary reads copy nothing.
 */
export function forAnswer(stored: StoredResource, requested: readonly string[] | undefined, open: OpenSealed | undefined): StoredResource {
  // A document read as text need not be parsed to know it holds neither.
  if (stored.docText !== undefined && !stored.docText.includes('"bankAccount')) return stored;
  const hr = hrExtensionOf(stored.doc) as Record<string, unknown> | undefined;
  if (!hr || (!('bankAccount' in hr) && !('bankAccountDigest' in hr))) return stored;
  const { bankAccount, bankAccountDigest: _digest, ...rest } = hr;
  const shown = open && typeof bankAccount === 'string' && requested?.includes(BANK_ACCOUNT) ? opened(bankAccount, open) : undefined;
  // Named, not spread: `doc` may be a getter, and `docText` still holds what this takes out.
  return {
    id: stored.id,
    doc: { ...stored.doc, [HR_URN]: shown ? { ...rest, bankAccount: shown } : rest },
    version: stored.version,
    created: stored.created,
    lastModified: stored.lastModified,
    groups: stored.groups,
  };
}
