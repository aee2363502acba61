import type { z } from 'zod';
import { HttpError } from './errors.js';

/**
 * A body that is not JSON is the HR system's bug (or a proxy's HTML error page), not a blip:
 * retrying returns the same bytes, so this is a non-retryable `invalid_response`.
 */
export function parseJson(text: string, url?: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw notJson(text, url, cause);
  }
}

/** The error of a body that is not one JSON value, quoting how it starts. */
export function notJson(text: string, url: string | undefined, cause: unknown): HttpError {
  const head = text.slice(0, 40).replace(/\s+/g, ' ');
  return new HttpError({
    kind: 'invalid_response',
    message: `response is not JSON (starts with ${JSON.stringify(head)})`,
    retryable: false,
    ...(url === undefined ? {} : { url }),
    cause,
  });
}

/** Parses with a zod schema; a mismatch becomes `invalid_response` naming the first paths. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new HttpError({
    kind: 'invalid_response',
    message: `${what} has an unexpected shape: ${summariseIssues(result.error.issues)}`,
    retryable: false,
    cause: result.error,
  });
}

export function summariseIssues(issues: readonly z.core.$ZodIssue[], max = 3): string {
  const parts = issues.slice(0, max).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  if (issues.length > max) parts.push(`and ${issues.length - max} more`);
  return parts.join('; ');
}
