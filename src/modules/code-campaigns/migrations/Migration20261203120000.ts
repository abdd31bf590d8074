import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * Campaigns that give codes (营销): the campaign with its budget (CHECK: never more issued than budgeted) and the grants,
 * one per campaign and customer (unique index).
 */
export class Migration20261203120000 extends Migration {
  override async up(): Promise<void> {
    const base = `"created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null`
    this.addSql(`create table if not exists "code_campaign" ("id" text not null, "name" text not null, "pool_id" text not null, "trigger" text check ("trigger" in ('customer.created', 'order.placed')) not null, "status" text check ("status" in ('active', 'paused')) not null default 'active', "budget" integer not null check ("budget" >= 0), "issued" integer not null default 0 check ("issued" >= 0), "starts_at" timestamptz null, "ends_at" timestamptz null, ${base}, constraint "code_campaign_pkey" primary key ("id"), constraint "code_campaign_within_budget" check ("issued" <= "budget"), constraint "code_campaign_window" check ("starts_at" is null or "ends_at" is null or "starts_at" < "ends_at"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_code_campaign_trigger_status" ON "code_campaign" ("trigger", "status") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_code_campaign_deleted_at" ON "code_campaign" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`create table if not exists "code_campaign_grant" ("id" text not null, "campaign_id" text not null, "customer_id" text not null, "email" text null, "code_id" text null, ${base}, constraint "code_campaign_grant_pkey" primary key ("id"));`)
    this.addSql(`alter table if exists "code_campaign_grant" add constraint "code_campaign_grant_campaign_id_foreign" foreign key ("campaign_id") references "code_campaign" ("id") on update cascade;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_code_campaign_grant_campaign_customer" ON "code_campaign_grant" ("campaign_id", "customer_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_code_campaign_grant_customer_id" ON "code_campaign_grant" ("customer_id") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_code_campaign_grant_deleted_at" ON "code_campaign_grant" ("deleted_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "code_campaign_grant" cascade;`)
    this.addSql(`drop table if exists "code_campaign" cascade;`)
  }
}
