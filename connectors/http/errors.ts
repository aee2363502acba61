/**
 * One error type for everything that can go wrong talking to an HR API. `kind` says what
 * happened; `retryable` says whether trying the same thing later could succeed, which is what
 * the scheduler needs to decide between "retry the run" and "put the connection in error".
 */
export const httpErrorKinds = [
  'auth',
  'permission',
  'not_found',
  'bad_request',
  'rate_limited',
  'server',
  'timeout',
  'network',
  'invalid_response',
] as const;
export type HttpErrorKind = (typeof httpErrorKinds)[number];

export interface HttpErrorInit {
  kind: HttpErrorKind;
  message: string;
  status?: number;
  retryable?: boolean;
  /** How long the server asked us to wait, when it said so (ms). */
  retryAfterMs?: number;
  /** The HR system's own explanation (e.g. BambooHR's X-BambooHR-Error-Message). */
  detail?: string;
  url?: string;
  cause?: unknown;
}

export class HttpError extends Error {
  override readonly name = 'HttpError';
  readonly kind: HttpErrorKind;
  readonly status: number | undefined;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly detail: string | undefined;
  readonly url: string | undefined;

  constructor(init: HttpErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.kind = init.kind;
    this.status = init.status;
    this.retryable = init.retryable ?? defaultRetryable(init.kind);
    this.retryAfterMs = init.retryAfterMs;
    this.detail = init.detail;
    this.url = init.url;
  }
}

export function isHttpError(err: unknown): err is HttpError {
  return err instanceof HttpError;
}

function defaultRetryable(kind: HttpErrorKind): boolean {
  switch (kind) {
    case 'rate_limited':
    case 'server':
    case 'timeout':
    case 'network':
      return true;
    case 'auth':
    case 'permission':
    case 'not_found':
    case 'bad_request':
    case 'invalid_response':
      return false;
    default: {
      const never: never = kind;
      return never;
    }
  }
}

/** Maps a non-2xx status to a kind. 503 counts as throttling: BambooHR used it for that for years. */
export function kindForStatus(status: number): HttpErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 429 || status === 503) return 'rate_limited';
  if (status === 408) return 'timeout';
  if (status >= 500) return 'server';
  return 'bad_request';
}

/** Statuses the client retries on its own (with backoff), before giving up. */
export function isRetriedStatus(status: number): boolean {
  return status === 408 || status === 429 || status === 502 || status === 503 || status === 504;
}
