export { createHttpClient } from './client.js';
export type { HttpClient, HttpClientOptions, HttpRequest, HttpResponse, HttpStats } from './client.js';
export { HttpError, isHttpError, httpErrorKinds, kindForStatus, isRetriedStatus } from './errors.js';
export type { HttpErrorKind, HttpErrorInit } from './errors.js';
export { parseJson, parseWith, summariseIssues } from './json.js';
export { parseRetryAfter, parseRateLimitReset, backoffMs, realSleep } from './timing.js';
export type { Sleep, BackoffOptions } from './timing.js';
export { createBudgetRegistry, budgetKey } from './budget-registry.js';
export type { BudgetRegistry, BudgetStore } from './budget-registry.js';
