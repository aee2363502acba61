import type { HttpClient } from '../../http/client.js';
import { parseWith } from '../../http/json.js';
import { asCredentialError } from '../errors.js';
import type { PersonioCredentials } from '../schema.js';
import type { IssuedToken } from '../token.js';
import { v2TokenResponseSchema } from './schema.js';

const dayS = 86_400;

/** OAuth client credentials, form-encoded as the token endpoint requires (JSON is refused). */
export async function fetchV2Token(auth: HttpClient, credentials: PersonioCredentials): Promise<IssuedToken> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  let json: unknown;
  try {
    json = await auth.requestJson({
      path: '/v2/auth/token',
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
  } catch (err) {
    throw asCredentialError(err, 'v2');
  }
  const body = parseWith(v2TokenResponseSchema, json, 'Personio v2 token response');
  return { token: body.access_token, expiresInS: body.expires_in ?? dayS };
}
