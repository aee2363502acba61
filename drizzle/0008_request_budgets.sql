CREATE TABLE "request_budgets" (
	"key" text PRIMARY KEY NOT NULL,
	"tat" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
