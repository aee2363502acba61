import type { HttpClient } from '../../http/client.js';
import { parseWith } from '../../http/json.js';
import { asCredentialError } from '../errors.js';
import type { PersonioCredentials } from '../schema.js';
import type { IssuedToken } from '../token.js';
import { v1AuthResponseSchema } from './schema.js';

const dayS = 86_400;

/** `POST /v1/auth` with a JSON body; Personio also accepts a form, JSON is the documented default. */
export async function fetchV1Token(auth: HttpClient, credentials: PersonioCredentials): Promise<IssuedToken> {
  let json: unknown;
  try {
    json = await auth.requestJson({
      path: '/v1/auth',
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ client_id: credentials.clientId, client_secret: credentials.clientSecret }),
    });
  } catch (err) {
    throw asCredentialError(err, 'v1');
  }
  const body = parseWith(v1AuthResponseSchema, json, 'Personio v1 auth response');
  return { token: body.data.token, expiresInS: body.data.expires_in ?? dayS };
}
