CREATE TABLE "connection_mappings" (
	"connection_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"tenant_id" uuid NOT NULL,
	"mapping" jsonb NOT NULL,
	"saved_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connection_mappings_connection_id_version_pk" PRIMARY KEY("connection_id","version")
);
--> statement-breakpoint
ALTER TABLE "connection_mappings" ADD CONSTRAINT "connection_mappings_connection_id_connections_id_fk" FOREIGN KEY ("connection_id") REFERENCES "public"."connections"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "connection_mappings" ADD CONSTRAINT "connection_mappings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;