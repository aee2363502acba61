import type { FakeRequest, Reply } from '../shared/server.js';

/** Which error body the fake sends: the reference's container, or the older page's bare list. */
export type ErrorShape = 'container' | 'legacy';

const codes: Record<number, string> = {
  400: 'BAD_REQUEST', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 405: 'METHOD_NOT_ALLOWED', 429: 'TOO_MANY_REQUESTS', 500: 'INTERNAL_SERVER_ERROR',
};

let reqIds = 0;

/** `{request:{method,url,status,api_req_id,docs,source,code}, errors:[{message,path}]}` or `{errors:[{message}]}`. */
export function errorReply(shape: ErrorShape, req: FakeRequest, status: number, message: string, path?: string): Reply {
  if (shape === 'legacy') return { status, body: { errors: [{ message }] } };
  return {
    status,
    body: {
      request: {
        method: req.method,
        url: req.path,
        status,
        api_req_id: `req_${(++reqIds).toString(36).padStart(8, '0')}`,
        docs: 'https://developer.deel.com/docs',
        source: 'api',
        code: codes[status] ?? 'ERROR',
      },
      errors: [{ message, path: path ?? '' }],
    },
  };
}

/**
 * Deel's 429: no rate-limit headers at all. The rate-limit page shows its own body; the error
 * container is the other plausible form.
 */
export function rateLimitReply(shape: 'rate-limit-page' | 'container', req: FakeRequest): Reply {
  if (shape === 'container') return errorReply('container', req, 429, 'Rate limit exceeded');
  return { status: 429, body: { error: 'Rate limit exceeded', status: 429, message: 'You have exceeded the rate limit of 5 requests per second. Please retry later.' } };
}
