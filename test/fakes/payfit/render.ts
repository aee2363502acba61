import type { FakePayfitCompany, FakePayfitContract, FakePayfitPerson } from './company.js';

/** The (?) of PayFit's docs, each playable: the connector must read every one. */
export interface RenderOptions {
  /** Contract `status` strings are undocumented: lower-case words, upper-case words, or none at all. */
  contractStatuses: 'lower' | 'upper' | 'absent';
  /** `emails[].type` strings are undocumented. */
  emailTypes: 'lower' | 'upper' | 'short';
  /** The contracts endpoint's job title field: `jobTitle` or `jobName`. */
  jobTitleField: 'jobTitle' | 'jobName';
  /** The last page: `meta.nextPageToken` absent or null. */
  lastPage: 'absent' | 'null';
}

export const defaultRender: RenderOptions = { contractStatuses: 'lower', emailTypes: 'lower', jobTitleField: 'jobTitle', lastPage: 'null' };

const statusWords = {
  lower: { creation: 'in_creation', pending: 'pending', ended: 'archived', active: 'active' },
  upper: { creation: 'IN_CREATION', pending: 'UPCOMING', ended: 'FINISHED', active: 'ACTIVE' },
} as const;

export function contractStatus(c: FakePayfitContract, today: string, style: RenderOptions['contractStatuses']): string | undefined {
  if (style === 'absent') return undefined;
  const words = statusWords[style];
  if (c.inCreation) return words.creation;
  if (c.startDate > today) return words.pending;
  if (c.endDate !== null && c.endDate < today) return words.ended;
  return words.active;
}

const emailWords = { lower: ['personal', 'professional'], upper: ['PERSONAL', 'PROFESSIONAL'], short: ['perso', 'pro'] } as const;

/** The scopes a key holds decide which fields a collaborator carries; the rest are left out. */
export function renderCollaborator(company: FakePayfitCompany, p: FakePayfitPerson, scopes: ReadonlySet<string>, options: RenderOptions): Record<string, unknown> {
  const out: Record<string, unknown> = { id: p.id, matricule: p.matricule, firstName: p.firstName, lastName: p.lastName };
  if (scopes.has('collaborators:personal:read')) {
    const [personal, professional] = emailWords[options.emailTypes];
    out.birthName = p.birthName;
    out.emails = [
      { type: personal, email: p.personalEmail },
      ...(p.professionalEmail ? [{ type: professional, email: p.professionalEmail }] : []),
    ];
  }
  if (scopes.has('collaborators:management:read')) {
    out.managerId = p.managerId;
    out.teamName = p.teamName;
  }
  if (scopes.has('collaborators:contracts:read')) {
    out.contracts = p.contracts.map((c) => {
      const status = contractStatus(c, company.today, options.contractStatuses);
      return { id: c.id, ...(status === undefined ? {} : { status }), startDate: c.startDate, endDate: c.endDate, establishment: c.establishment };
    });
    out.terminationDate = p.terminationDate;
  }
  if (scopes.has('collaborators:bank-info:read')) {
    out.iban = p.iban;
    out.bic = p.bic;
  }
  return out;
}

export function renderContract(company: FakePayfitCompany, p: FakePayfitPerson, c: FakePayfitContract, options: RenderOptions): Record<string, unknown> {
  const status = contractStatus(c, company.today, options.contractStatuses);
  return {
    id: c.id,
    collaboratorId: p.id,
    companyId: company.id,
    ...(status === undefined ? {} : { status }),
    startDate: c.startDate,
    endDate: c.endDate,
    [options.jobTitleField]: c.jobTitle,
    establishment: c.establishment,
  };
}
