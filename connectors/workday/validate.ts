import type { ValidationResult } from '../contract.js';
import { validationFailure } from '../failure.js';

type Failure = Extract<ValidationResult, { ok: false }>;

/**
 * A failed check in words a Workday admin can act on. Workday's own fault text is quoted; the
 * password never appears (it is only in the request, never in an error).
 */
export function workdayFailure(err: unknown, api: 'soap' | 'raas'): Failure {
  const what = api === 'soap' ? 'Get_Workers' : 'the report';
  return validationFailure(err, 'Workday', {
    invalidCredentials: (says, e) =>
      e.kind !== 'not_found'
        ? `Workday rejected the integration system user's name or password${says}: the name is ISU_name@tenant, the password may have expired, or the user may not be allowed password sign-in by the authentication policy.`
        : api === 'soap'
          ? `Workday does not know this endpoint: check the host, the tenant and the Human_Resources version in the endpoint URL${says}.`
          : `Workday does not know this report: check the report URL (owner and report name) and that the report is enabled as a web service${says}.`,
    missingPermission: (says) =>
      api === 'soap'
        ? `The integration system user may not run ${what}${says}: its security group needs Get access to the worker domains (Worker Data: Public Worker Reports, Worker Data: Workers, Person Data: Work Contact Information…), and the pending security policy changes must be activated.`
        : `The integration system user may not run the report${says}: share the report with the user (or its security group) and give the group Get access to the domains of the report's fields.`,
    limited: 'this tenant',
    unreachable: (says, e) => (e.kind === 'bad_request' ? `Workday refused the ${what} request${says}: check the Human_Resources version in the endpoint URL.` : undefined),
  });
}
