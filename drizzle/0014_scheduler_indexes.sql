ALTER TABLE "connections" ADD COLUMN "snapshot_employees" integer;--> statement-breakpoint
CREATE INDEX "connections_due_at" ON "connections" USING btree ("next_run_at") WHERE status in ('connected', 'error');--> statement-breakpoint
CREATE INDEX "connections_leased" ON "connections" USING btree ("tenant_id") WHERE lease_until is not null;--> statement-breakpoint
CREATE INDEX "sync_runs_running" ON "sync_runs" USING btree ("connection_id") WHERE state = 'running';--> statement-breakpoint
UPDATE "connections" c SET "snapshot_employees" = s.n FROM (SELECT "connection_id", count(*)::int AS n FROM "snapshot_employees" GROUP BY "connection_id") s WHERE s."connection_id" = c."id";
