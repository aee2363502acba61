import type { ValidationResult } from '../../contract.js';
import type { HttpClient } from '../../http/client.js';
import { parseWith } from '../../http/json.js';
import type { TokenSource } from '../token.js';
import { personioFailure, vitalFieldsMissing } from '../validate.js';
import { hiddenWarning, missingAttributes } from './list.js';
import { v1EmployeesResponseSchema, v1VitalAttributes } from './schema.js';

/**
 * A token, then one employee: proves the secret, the right to read employees, and which
 * attributes the credential's whitelist lets through — each failure named separately.
 */
export async function validateV1(
  http: HttpClient,
  tokens: TokenSource,
  bank: ReadonlyArray<['iban' | 'bic' | 'holder', string]>,
  signal?: AbortSignal,
): Promise<ValidationResult> {
  try {
    await tokens.authorize();
  } catch (err) {
    return personioFailure(err, 'token');
  }
  let data: unknown[];
  try {
    const json = await http.requestJson({ path: '/v1/company/employees', query: { limit: 1, offset: 0 }, ...(signal ? { signal } : {}) });
    data = parseWith(v1EmployeesResponseSchema, json, 'Personio employee list').data;
  } catch (err) {
    return personioFailure(err, 'employees');
  }
  const missing = missingAttributes(data, bank);
  const vital = v1VitalAttributes.filter((a) => missing.includes(a));
  if (vital.length) return vitalFieldsMissing(vital);
  return { ok: true, warnings: missing.length ? [hiddenWarning(missing)] : [] };
}
