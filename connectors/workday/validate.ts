import type { ValidationResult } from '../contract.js';
import { failureKind } from '../failure.js';
import { isHttpError } from '../http/errors.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * A failed check in words a Workday admin can act on. Workday's own fault text is quoted; the
 * password never appears (it is only in the request, never in an error).
 */
export function workdayFailure(err: unknown, api: 'soap' | 'raas'): Failure {
  if (!isHttpError(err)) throw err;
  const kind = failureKind(err);
  const says = err.detail ? ` (Workday says: ${err.detail})` : '';
  const what = api === 'soap' ? 'Get_Workers' : 'the report';
  let message: string;
  switch (kind) {
    case 'invalid_credentials':
      message = err.kind === 'not_found'
        ? api === 'soap'
          ? `Workday does not know this endpoint: check the host, the tenant and the Human_Resources version in the endpoint URL${says}.`
          : `Workday does not know this report: check the report URL (owner and report name) and that the report is enabled as a web service${says}.`
        : `Workday rejected the integration system user's name or password${says}: the name is ISU_name@tenant, the password may have expired, or the user may not be allowed password sign-in by the authentication policy.`;
      break;
    case 'missing_permission':
      message = api === 'soap'
        ? `The integration system user may not run ${what}${says}: its security group needs Get access to the worker domains (Worker Data: Public Worker Reports, Worker Data: Workers, Person Data: Work Contact Information…), and the pending security policy changes must be activated.`
        : `The integration system user may not run the report${says}: share the report with the user (or its security group) and give the group Get access to the domains of the report's fields.`;
      break;
    case 'rate_limited':
      message = `Workday is throttling this tenant; try again ${err.retryAfterMs ? `in ${Math.ceil(err.retryAfterMs / 1000)} s` : 'shortly'}.`;
      break;
    case 'unreachable':
      message = err.kind === 'bad_request'
        ? `Workday refused the ${what} request${says}: check the Human_Resources version in the endpoint URL.`
        : `Workday could not be reached or answered unexpectedly: ${err.message}${says}.`;
      break;
    default: {
      const never: never = kind;
      return never;
    }
  }
  return { ok: false, kind, message, retryable: err.retryable };
}
