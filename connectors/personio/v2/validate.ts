import type { ValidationResult } from '../../contract.js';
import type { HttpClient } from '../../http/client.js';
import { parseWith } from '../../http/json.js';
import type { TokenSource } from '../token.js';
import { personioFailure, vitalFieldsMissing } from '../validate.js';
import { v2ListSchema, v2PersonSchema } from './schema.js';

/**
 * A token, one person, and that person's employments: v2 grants persons and employments as
 * separate scopes, and a credential with only the first would sync everyone as "active".
 */
export async function validateV2(http: HttpClient, tokens: TokenSource, signal?: AbortSignal): Promise<ValidationResult> {
  const sig = signal ? { signal } : {};
  try {
    await tokens.authorize();
  } catch (err) {
    return personioFailure(err, 'token');
  }
  let first: unknown;
  try {
    const json = await http.requestJson({ path: '/v2/persons', query: { limit: 1 }, ...sig });
    first = parseWith(v2ListSchema, json, 'Personio persons page')._data[0];
  } catch (err) {
    return personioFailure(err, 'persons');
  }
  const person = v2PersonSchema.safeParse(first);
  if (!person.success) return { ok: true, warnings: first === undefined ? ['Personio returned no persons for this credential.'] : [] };
  const warnings: string[] = [];
  const hidden = (['email', 'first_name', 'last_name'] as const).filter((f) => !(f in person.data));
  if (hidden.length) warnings.push(`Personio did not return ${hidden.join(', ')}: the credential may not read ${hidden.length > 1 ? 'these fields' : 'this field'}.`);
  try {
    const json = await http.requestJson({ path: `/v2/persons/${encodeURIComponent(person.data.id)}/employments`, ...sig });
    const employment = parseWith(v2ListSchema, json, 'Personio employments')._data[0];
    if (employment !== undefined && (typeof employment !== 'object' || employment === null || !('status' in employment))) {
      return vitalFieldsMissing(['employment status']);
    }
  } catch (err) {
    return personioFailure(err, 'employments');
  }
  return { ok: true, warnings };
}
