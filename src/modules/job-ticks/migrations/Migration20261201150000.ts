import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The tick ledger of the scheduled jobs: one row per (job, cron tick), unique, so one process of a cluster runs a
 * job's tick; the lease lets a later attempt of the same tick take over a run cut off by a crash.
 */
export class Migration20261201150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "job_tick" ("id" text not null, "job_name" text not null, "tick_at" timestamptz not null, "owner" text not null, "attempts" integer not null default 1, "started_at" timestamptz not null, "lease_until" timestamptz not null, "finished_at" timestamptz null, "outcome" text check ("outcome" in ('succeeded', 'failed')) null, "error_message" text null, "duration_ms" integer null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "job_tick_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_job_tick_deleted_at" ON "job_tick" ("deleted_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_job_tick_job_name_tick_at_unique" ON "job_tick" ("job_name", "tick_at") WHERE deleted_at IS NULL;`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_job_tick_tick_at" ON "job_tick" ("tick_at") WHERE deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "job_tick" cascade;`)
  }
}
