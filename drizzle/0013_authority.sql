CREATE TABLE "tenant_attributes" (
	"tenant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"type" text NOT NULL,
	"multi_valued" boolean DEFAULT false NOT NULL,
	"case_exact" boolean DEFAULT false NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenant_attributes_tenant_id_name_pk" PRIMARY KEY("tenant_id","name")
);
--> statement-breakpoint
CREATE TABLE "tenant_authority" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"rules" jsonb NOT NULL,
	"policies" jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "user_conflicts" (
	"tenant_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"path" text NOT NULL,
	"source_key" text NOT NULL,
	"source" jsonb NOT NULL,
	"owner" text NOT NULL,
	"attempted" jsonb,
	"first_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "user_conflicts_user_id_path_source_key_pk" PRIMARY KEY("user_id","path","source_key")
);
--> statement-breakpoint
ALTER TABLE "tenant_attributes" ADD CONSTRAINT "tenant_attributes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_authority" ADD CONSTRAINT "tenant_authority_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_conflicts" ADD CONSTRAINT "user_conflicts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_conflicts" ADD CONSTRAINT "user_conflicts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "tenant_attributes_name_ci" ON "tenant_attributes" USING btree ("tenant_id",lower("name"));--> statement-breakpoint
CREATE INDEX "user_conflicts_tenant_last" ON "user_conflicts" USING btree ("tenant_id","last_at");