import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Wholesale orders (one row per agent and Idempotency-Key, unique in SQL so a concurrent duplicate cannot slip in),
 * signed webhook deliveries with their retry state, and each agent's webhook URL.
 */
export class Migration20261123060727 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table if not exists "agent_order" ("id" text not null, "agent_id" text not null, "idempotency_key" text not null, "request_hash" text not null, "status" text check ("status" in ('processing', 'completed')) not null default 'processing', "order_id" text null, "display_id" integer null, "currency_code" text null, "total" text null, "items" jsonb null, "agent_chain" jsonb null, "transaction_id" text null, "quota_consumed" jsonb null, "completed_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_order_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_order_deleted_at" ON "agent_order" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_order_idempotency_unique" ON "agent_order" ("agent_id", "idempotency_key") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_order_agent_id_created_at" ON "agent_order" ("agent_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_order_order_id" ON "agent_order" ("order_id") WHERE order_id IS NOT NULL AND deleted_at IS NULL;`);

    this.addSql(`create table if not exists "agent_webhook_delivery" ("id" text not null, "agent_id" text not null, "event" text not null, "payload" jsonb not null, "status" text check ("status" in ('pending', 'delivered', 'dead')) not null default 'pending', "attempts" integer not null default 0, "next_attempt_at" timestamptz not null, "last_status" integer null, "last_error" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_webhook_delivery_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_webhook_delivery_deleted_at" ON "agent_webhook_delivery" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_webhook_delivery_next_attempt_at" ON "agent_webhook_delivery" ("next_attempt_at") WHERE status = 'pending' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_webhook_delivery_agent_id_created_at" ON "agent_webhook_delivery" ("agent_id", "created_at") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table "agent_order" add constraint "agent_order_agent_fk" foreign key ("agent_id") references "agent" ("id");`);
    this.addSql(`alter table "agent_order" add constraint "agent_order_completed" check (status <> 'completed' or (order_id is not null and transaction_id is not null));`);
    this.addSql(`alter table "agent_webhook_delivery" add constraint "agent_webhook_delivery_agent_fk" foreign key ("agent_id") references "agent" ("id");`);
    this.addSql(`alter table if exists "agent" add column if not exists "webhook_url" text null, add column if not exists "webhook_secret_version" integer not null default 0;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "agent_order" cascade;`);

    this.addSql(`drop table if exists "agent_webhook_delivery" cascade;`);

    this.addSql(`alter table if exists "agent" drop column if exists "webhook_url", drop column if exists "webhook_secret_version";`);
  }

}
