CREATE TABLE "sync_run_operations" (
	"run_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"kind" text NOT NULL,
	"remote_id" text,
	"user_id" text,
	"email" text,
	"reason" text NOT NULL,
	"detail" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "sync_run_operations_run_id_seq_pk" PRIMARY KEY("run_id","seq")
);
--> statement-breakpoint
ALTER TABLE "sync_run_operations" ADD CONSTRAINT "sync_run_operations_run_id_sync_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."sync_runs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "sync_run_operations_kind" ON "sync_run_operations" USING btree ("run_id","kind","seq");--> statement-breakpoint
CREATE INDEX "users_tenant_lifecycle_id" ON "users" USING btree ("tenant_id","lifecycle","id");--> statement-breakpoint
CREATE INDEX "users_tenant_management_id" ON "users" USING btree ("tenant_id","management","id");--> statement-breakpoint
-- Existing runs' operations move out of the plan document into their own rows, in plan order.
INSERT INTO "sync_run_operations" ("run_id", "seq", "kind", "remote_id", "user_id", "email", "reason", "detail")
SELECT r."id", o.ord::integer, o.op ->> 'kind', o.op ->> 'remoteId', o.op ->> 'userId', o.op ->> 'email', coalesce(o.op ->> 'reason', ''),
  jsonb_strip_nulls(jsonb_build_object('lifecycle', o.op -> 'lifecycle', 'changed', o.op -> 'changed'))
FROM "sync_runs" r CROSS JOIN LATERAL jsonb_array_elements(r."plan" -> 'operations') WITH ORDINALITY AS o(op, ord)
WHERE jsonb_typeof(r."plan" -> 'operations') = 'array';--> statement-breakpoint
UPDATE "sync_runs" SET "plan" = "plan" - 'operations' WHERE "plan" ? 'operations';--> statement-breakpoint
-- The lifecycle column is now the one admins see: a user no HR connection ever touched is archived while inactive.
UPDATE "users" SET "lifecycle" = 'archived' WHERE "active" = false AND NOT ("doc" ? 'urn:rollcall:params:scim:schemas:extension:hr:2.0:User');
