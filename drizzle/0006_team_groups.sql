ALTER TABLE "groups" ADD COLUMN "connection_id" uuid;--> statement-breakpoint
ALTER TABLE "groups" ADD COLUMN "team_key" text;--> statement-breakpoint
CREATE UNIQUE INDEX "groups_connection_team_key" ON "groups" USING btree ("connection_id","team_key");