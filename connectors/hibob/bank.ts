import { z } from 'zod';
import type { BankAccount, NormalisedEmployee } from '../contract.js';
import type { HttpClient } from '../http/client.js';
import { isHttpError } from '../http/errors.js';
import { parseWith } from '../http/json.js';
import { cleanText } from '../values.js';
import { mapPool } from '../http/pool.js';

/**
 * `GET /v1/people/{id}/bank-accounts`: the entries of the person's Financial › Bank accounts
 * table. Field names vary a little between accounts (`bicOrSwift`, `bic`), so both are read.
 */
const entrySchema = z.looseObject({
  iban: z.string().nullish(),
  bicOrSwift: z.string().nullish(),
  bic: z.string().nullish(),
  accountHolderName: z.string().nullish(),
  holderName: z.string().nullish(),
});
export const bankAccountsResponseSchema = z.looseObject({ values: z.array(z.unknown()).nullish() });

export const bankPermissionWarning =
  "HiBob refused to show bank accounts: give the service user's permission group View access to People's data › Financial › Bank accounts. Bank details are not synced until then.";

/**
 * The first table entry with an IBAN (HiBob lists the primary account first); null for none.
 * The plaintext only lives in the employee until the sync seals it.
 */
export function bankAccountOf(values: readonly unknown[]): BankAccount | null {
  for (const raw of values) {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) continue;
    const iban = cleanText(entry.data.iban)?.replace(/\s+/g, '');
    if (!iban) continue;
    const bic = cleanText(entry.data.bicOrSwift) ?? cleanText(entry.data.bic);
    const holder = cleanText(entry.data.accountHolderName) ?? cleanText(entry.data.holderName);
    return { iban, ...(bic ? { bic } : {}), ...(holder ? { holder } : {}) };
  }
  return null;
}

/**
 * Reads the bank account of everyone still employed (leavers need none), a few at a time, each
 * request on the bank-account budget. A 403 means the permission group lacks the Financial
 * category: the run goes on without bank details and says so. A person deleted since the
 * search (404) keeps none. Any other failure fails the run like any HR API failure, because
 * a missing answer must not read as "no bank account" and wipe the one we have.
 */
export async function attachBankAccounts(
  http: HttpClient,
  employees: NormalisedEmployee[],
  opts: { concurrency: number; signal?: AbortSignal },
): Promise<{ warnings: string[] }> {
  const wanted = employees.filter((e) => e.status !== 'inactive');
  let refused = false;
  await mapPool(
    wanted,
    opts.concurrency,
    async (e, signal) => {
      if (refused) return;
      try {
        const json = await http.requestJson({ path: `/v1/people/${encodeURIComponent(e.remoteId)}/bank-accounts`, signal });
        e.bankAccount = bankAccountOf(parseWith(bankAccountsResponseSchema, json, 'HiBob bank accounts').values ?? []);
      } catch (err) {
        if (isHttpError(err) && err.kind === 'permission') refused = true;
        else if (!(isHttpError(err) && err.kind === 'not_found')) throw err;
      }
    },
    opts.signal,
  );
  if (refused) for (const e of wanted) e.bankAccount = null;
  return { warnings: refused ? [bankPermissionWarning] : [] };
}
