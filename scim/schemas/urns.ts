export const URN = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  /** Rollcall's HR extension: where a user comes from and the HR fields with no SCIM home. */
  hrUser: 'urn:rollcall:params:scim:schemas:extension:hr:2.0:User',
  /** A tenant's own User attributes (each tenant declares its own; see tenant-user.ts). */
  tenantUser: 'urn:rollcall:params:scim:schemas:extension:tenant:2.0:User',
  /** Rollcall's team extension: a Group built from the HR manager hierarchy (kind, manager, parent team, owner). */
  teamGroup: 'urn:rollcall:params:scim:schemas:extension:team:2.0:Group',
  listResponse: 'urn:ietf:params:scim:api:messages:2.0:ListResponse',
  searchRequest: 'urn:ietf:params:scim:api:messages:2.0:SearchRequest',
  patchOp: 'urn:ietf:params:scim:api:messages:2.0:PatchOp',
  error: 'urn:ietf:params:scim:api:messages:2.0:Error',
  bulkRequest: 'urn:ietf:params:scim:api:messages:2.0:BulkRequest',
  bulkResponse: 'urn:ietf:params:scim:api:messages:2.0:BulkResponse',
  serviceProviderConfig: 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig',
  resourceType: 'urn:ietf:params:scim:schemas:core:2.0:ResourceType',
  schema: 'urn:ietf:params:scim:schemas:core:2.0:Schema',
  /** Entra adds this to group creates; it is accepted and ignored. */
  entraAdGroup: 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
} as const;
