import { Migration } from "@medusajs/framework/mikro-orm/migrations"
import { auditChainSql } from "../sql/audit-chain"

/**
 * The tamper-evident audit log: every `card_audit_log` row is linked into a hash chain in the transaction that wrote
 * it (a deferred constraint trigger, at commit), rows already there into a chain of their own; signed checkpoints of
 * the chains' heads. See sql/audit-chain.ts.
 */
export class Migration20261205090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table if not exists "card_audit_chain" ("id" text not null, "seq" bigint not null default 0, "head" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_audit_chain_pkey" primary key ("id"));`)
    this.addSql(`create table if not exists "card_audit_link" ("id" text not null, "chain_id" text not null, "seq" bigint not null check ("seq" > 0), "prev_hash" text not null, "hash" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_audit_link_pkey" primary key ("id"));`)
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_card_audit_link_chain_seq" ON "card_audit_link" ("chain_id", "seq");`)
    this.addSql(`create table if not exists "card_audit_checkpoint" ("id" text not null, "heads" jsonb not null, "payload" text not null, "signature" text not null, "key_id" text not null, "public_key" text not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "card_audit_checkpoint_pkey" primary key ("id"));`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_checkpoint_created_at" ON "card_audit_checkpoint" ("created_at");`)
    for (const statement of auditChainSql()) this.addSql(statement)
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists card_audit_log_chain on "card_audit_log";`)
    this.addSql(`drop trigger if exists card_audit_link_append_only on "card_audit_link";`)
    this.addSql(`drop function if exists card_audit_link_row();`)
    this.addSql(`drop function if exists card_audit_row_hash(card_audit_log, text);`)
    this.addSql(`drop table if exists "card_audit_checkpoint" cascade;`)
    this.addSql(`drop table if exists "card_audit_link" cascade;`)
    this.addSql(`drop table if exists "card_audit_chain" cascade;`)
  }
}
