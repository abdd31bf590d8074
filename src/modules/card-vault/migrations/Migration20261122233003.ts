import { Migration } from "@medusajs/framework/mikro-orm/migrations";

export class Migration20261122233003 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "card_batch" drop constraint if exists "card_batch_file_hash_unique";`);
    this.addSql(`alter table if exists "card_alert" drop constraint if exists "card_alert_active_unique";`);
    this.addSql(`create table if not exists "card_import_error" ("id" text not null, "batch_id" text not null, "line" integer not null, "field" text not null, "message" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_import_error_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_import_error_deleted_at" ON "card_import_error" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_import_error_batch_id_line" ON "card_import_error" ("batch_id", "line") WHERE deleted_at IS NULL;`);

    this.addSql(`create table if not exists "card_alert" ("id" text not null, "pool_id" text not null, "kind" text check ("kind" in ('low_stock', 'near_expiry')) not null, "status" text check ("status" in ('active', 'cleared')) not null default 'active', "details" jsonb null, "cleared_at" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_alert_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_alert_pool_id" ON "card_alert" ("pool_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_alert_deleted_at" ON "card_alert" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_alert_active_unique" ON "card_alert" ("pool_id", "kind") WHERE status = 'active' AND deleted_at IS NULL;`);

    this.addSql(`alter table if exists "card_alert" add constraint "card_alert_pool_id_foreign" foreign key ("pool_id") references "card_pool" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table if exists "card_batch" drop constraint if exists "card_batch_status_check";`);

    this.addSql(`alter table if exists "card_pool" add column if not exists "allocation_order" text check ("allocation_order" in ('fifo', 'expiry_first')) not null default 'fifo', add column if not exists "low_stock_threshold" integer null, add column if not exists "expiry_warning_days" integer null;`);

    this.addSql(`alter table if exists "card_code" add column if not exists "cost" numeric null, add column if not exists "invalid" boolean not null default false, add column if not exists "raw_cost" jsonb null;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_claimable_fifo" ON "card_code" ("pool_id", "created_at", "id") WHERE status = 'available' AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_expiring" ON "card_code" ("expires_at") WHERE status = 'available' AND expires_at IS NOT NULL AND deleted_at IS NULL;`);

    this.addSql(`alter table if exists "card_batch" add column if not exists "mode" text check ("mode" in ('all_or_nothing', 'skip_invalid')) not null default 'all_or_nothing', add column if not exists "file_name" text null, add column if not exists "lines_read" integer not null default 0, add column if not exists "lines_total" integer null, add column if not exists "bytes_read" integer not null default 0, add column if not exists "bytes_total" integer null, add column if not exists "generator" jsonb null, add column if not exists "error" text null, add column if not exists "finished_at" timestamptz null;`);
    this.addSql(`alter table if exists "card_batch" add constraint "card_batch_status_check" check("status" in ('importing', 'committed', 'rejected', 'failed'));`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_batch_file_hash_unique" ON "card_batch" ("file_hash") WHERE file_hash IS NOT NULL AND status IN ('importing', 'committed') AND deleted_at IS NULL;`);

    // Every sale turns an available code into a reserved one, leaving a dead entry at the front of the claim indexes
    // until VACUUM. Vacuum card_code after 2% of it changed (PostgreSQL's default waits for 20%), so claims keep
    // reading only live available codes as pools empty.
    this.addSql(`alter table "card_code" set (autovacuum_vacuum_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.02);`);

    // Only a voided code can be counted as invalid (void & reissue).
    this.addSql(`alter table "card_code" add constraint "card_code_invalid_check" check (not invalid or status = 'voided');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table if exists "card_code" drop constraint if exists "card_code_invalid_check";`);
    this.addSql(`alter table if exists "card_code" reset (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor);`);
    this.addSql(`drop table if exists "card_import_error" cascade;`);

    this.addSql(`drop table if exists "card_alert" cascade;`);

    this.addSql(`alter table if exists "card_batch" drop constraint if exists "card_batch_status_check";`);

    this.addSql(`alter table if exists "card_pool" drop column if exists "allocation_order", drop column if exists "low_stock_threshold", drop column if exists "expiry_warning_days";`);

    this.addSql(`drop index if exists "IDX_card_code_claimable_fifo";`);
    this.addSql(`drop index if exists "IDX_card_code_expiring";`);
    this.addSql(`alter table if exists "card_code" drop column if exists "cost", drop column if exists "invalid", drop column if exists "raw_cost";`);

    this.addSql(`drop index if exists "IDX_card_batch_file_hash_unique";`);
    this.addSql(`alter table if exists "card_batch" drop column if exists "mode", drop column if exists "file_name", drop column if exists "lines_read", drop column if exists "lines_total", drop column if exists "bytes_read", drop column if exists "bytes_total", drop column if exists "generator", drop column if exists "error", drop column if exists "finished_at";`);

    this.addSql(`alter table if exists "card_batch" add constraint "card_batch_status_check" check("status" in ('importing', 'committed', 'failed'));`);
  }

}
