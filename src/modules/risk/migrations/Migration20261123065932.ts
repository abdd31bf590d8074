import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Risk control: rules, one decision per checkout or wholesale order (unique per subject, so a retried checkout is not
 * judged twice), velocity events for PostgreSQL counters, and the client facts of a cart.
 */
export class Migration20261123065932 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "risk_client" ("id" text not null, "cart_id" text not null, "ip" text null, "device_id" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "risk_client_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_client_deleted_at" ON "risk_client" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_risk_client_cart_unique" ON "risk_client" ("cart_id") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "risk_decision" ("id" text not null, "subject_type" text check ("subject_type" in ('cart', 'agent_order')) not null, "subject_id" text not null, "order_id" text null, "action" text check ("action" in ('allow', 'review', 'block')) not null, "reasons" jsonb not null, "facts" jsonb not null, "review_status" text check ("review_status" in ('pending', 'approved', 'rejected')) null, "reviewed_by" text null, "reviewed_at" timestamptz null, "review_note" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "risk_decision_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_decision_deleted_at" ON "risk_decision" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_risk_decision_subject_unique" ON "risk_decision" ("subject_type", "subject_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_decision_order_id" ON "risk_decision" ("order_id") WHERE order_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_decision_review_status_created_at" ON "risk_decision" ("review_status", "created_at") WHERE review_status IS NOT NULL AND deleted_at IS NULL;`);

    this.addSql(`create table if not exists "risk_event" ("id" text not null, "key" text not null, "amount" numeric not null default 0, "quantity" integer not null default 0, "raw_amount" jsonb not null default '{"value":"0","precision":20}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "risk_event_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_event_deleted_at" ON "risk_event" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_event_key_created_at" ON "risk_event" ("key", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "risk_rule" ("id" text not null, "name" text not null, "kind" text check ("kind" in ('velocity', 'order_amount', 'order_quantity', 'first_purchase', 'list')) not null, "key" text check ("key" in ('ip', 'email', 'email_domain', 'customer', 'agent', 'device')) null, "measure" text check ("measure" in ('count', 'amount', 'quantity')) null, "window_seconds" integer null, "threshold" numeric null, "list_type" text check ("list_type" in ('block', 'allow')) null, "values" jsonb null, "action" text check ("action" in ('review', 'block')) not null default 'review', "applies_to" text check ("applies_to" in ('all', 'store', 'wholesale')) not null default 'all', "enabled" boolean not null default true, "raw_threshold" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "risk_rule_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_risk_rule_deleted_at" ON "risk_rule" ("deleted_at") WHERE deleted_at IS NULL;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "risk_client" cascade;`);

    this.addSql(`drop table if exists "risk_decision" cascade;`);

    this.addSql(`drop table if exists "risk_event" cascade;`);

    this.addSql(`drop table if exists "risk_rule" cascade;`);
  }

}
