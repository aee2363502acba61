export * from './contract.js';
export {
  connectorDescriptors,
  createConnector,
  credentialsSchemaFor,
  descriptorFor,
  isProviderAvailable,
  providerNames,
  providerNameSchema,
  settingsSchemaFor,
  UnsupportedProviderError,
} from './registry.js';
export type { ConnectorDeps, ProviderName } from './registry.js';
export { hostAllowedBy } from './descriptor.js';
export type { ConnectorCapabilities, ConnectorDescriptor, ConnectorRuntime, HttpTuning } from './descriptor.js';
export { resolveManagers } from './managers.js';
export type { ManagerRef, Unresolved } from './managers.js';
export { applyDateRules, statusFromLabel, isEmployed } from './status.js';
export { cleanText, cleanDate, isoToday, displayNameOf } from './values.js';
export { validationFailure, failureKind } from './failure.js';
export { HttpError, isHttpError } from './http/errors.js';
export type { HttpErrorKind } from './http/errors.js';
export { createBudgetRegistry, budgetKey } from './http/budget-registry.js';
export type { BudgetRegistry, BudgetStore } from './http/budget-registry.js';
export { createBambooHr, bambooHrBaseUrl } from './bamboohr/connector.js';
export type { BambooHrConnector, BambooHrOptions } from './bamboohr/connector.js';
export { bambooHrCredentialsSchema } from './bamboohr/schema.js';
export type { BambooHrCredentials } from './bamboohr/schema.js';
