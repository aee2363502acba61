DROP INDEX "users_tenant_updated";--> statement-breakpoint
-- Room on each page for heap-only updates (see src/db/schema.ts); applies to pages written from now on.
ALTER TABLE "users" SET (fillfactor = 90);
