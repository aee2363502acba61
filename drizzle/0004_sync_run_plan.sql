ALTER TABLE "sync_runs" ADD COLUMN "plan" jsonb;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "held" jsonb;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "decided_by" text;