import { Migration } from "@medusajs/framework/mikro-orm/migrations";

/**
 * Resellers: the agent tree, accounts (prepaid balance + credit limit per currency), the double-entry ledger and the
 * wholesale API's keys and quotas, with
 * the database enforcing the money rules (see agent_ledger_post and agent_account_within_credit).
 */

export class Migration20261123042937 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table if exists "agent_account" drop constraint if exists "agent_account_house_currency_unique";`);
    this.addSql(`alter table if exists "agent_account" drop constraint if exists "agent_account_agent_currency_unique";`);
    this.addSql(`create table if not exists "agent" ("id" text not null, "name" text not null, "parent_id" text null, "customer_group_id" text null, "status" text check ("status" in ('active', 'frozen')) not null default 'active', "metadata" jsonb null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_deleted_at" ON "agent" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_parent_id" ON "agent" ("parent_id") WHERE parent_id IS NOT NULL AND deleted_at IS NULL;`);

    this.addSql(`create table if not exists "agent_account" ("id" text not null, "agent_id" text null, "kind" text check ("kind" in ('agent', 'house')) not null, "currency_code" text not null, "balance" numeric not null default 0, "credit_limit" numeric not null default 0, "raw_balance" jsonb not null default '{"value":"0","precision":20}', "raw_credit_limit" jsonb not null default '{"value":"0","precision":20}', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_account_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_account_deleted_at" ON "agent_account" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_account_agent_currency_unique" ON "agent_account" ("agent_id", "currency_code") WHERE agent_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_account_house_currency_unique" ON "agent_account" ("currency_code") WHERE kind = 'house' AND deleted_at IS NULL;`);

    this.addSql(`create table if not exists "agent_ledger_entry" ("id" text not null, "transaction_id" text not null, "account_id" text not null, "agent_id" text null, "kind" text check ("kind" in ('topup', 'adjustment', 'purchase', 'commission', 'refund')) not null, "amount" numeric not null, "currency_code" text not null, "reference_type" text null, "reference_id" text null, "note" text null, "actor_type" text not null, "actor_id" text null, "raw_amount" jsonb not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_ledger_entry_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_ledger_entry_deleted_at" ON "agent_ledger_entry" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_ledger_entry_transaction_id" ON "agent_ledger_entry" ("transaction_id") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_ledger_entry_account_id_created_at" ON "agent_ledger_entry" ("account_id", "created_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_ledger_entry_agent_id_created_at" ON "agent_ledger_entry" ("agent_id", "created_at") WHERE agent_id IS NOT NULL AND deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_ledger_entry_reference_type_reference_id" ON "agent_ledger_entry" ("reference_type", "reference_id") WHERE reference_id IS NOT NULL AND deleted_at IS NULL;`);

    this.addSql(`alter table if exists "agent_api_key" drop constraint if exists "agent_api_key_prefix_unique";`);
    this.addSql(`create table if not exists "agent_api_key" ("id" text not null, "agent_id" text not null, "name" text not null, "prefix" text not null, "secret_hash" text not null, "scopes" jsonb not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_by" text null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_api_key_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_api_key_deleted_at" ON "agent_api_key" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_api_key_prefix_unique" ON "agent_api_key" ("prefix") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_api_key_agent_id" ON "agent_api_key" ("agent_id") WHERE deleted_at IS NULL;`);

    this.addSql(`alter table if exists "agent_quota" drop constraint if exists "agent_quota_agent_variant_unique";`);
    this.addSql(`create table if not exists "agent_quota" ("id" text not null, "agent_id" text not null, "variant_id" text not null, "quota_limit" integer not null, "period" text check ("period" in ('none', 'day', 'week', 'month')) not null default 'none', "used" integer not null default 0, "period_start" timestamptz null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "deleted_at" timestamptz null, constraint "agent_quota_pkey" primary key ("id"));`);
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_agent_quota_deleted_at" ON "agent_quota" ("deleted_at") WHERE deleted_at IS NULL;`);
    this.addSql(`CREATE UNIQUE INDEX IF NOT EXISTS "IDX_agent_quota_agent_variant_unique" ON "agent_quota" ("agent_id", "variant_id") WHERE deleted_at IS NULL;`);

    // The tree and the accounts hang together.
    this.addSql(`alter table "agent" add constraint "agent_parent_fk" foreign key ("parent_id") references "agent" ("id") deferrable initially deferred;`);
    this.addSql(`alter table "agent" add constraint "agent_not_own_parent" check ("parent_id" is null or "parent_id" <> "id");`);
    this.addSql(`alter table "agent_account" add constraint "agent_account_agent_fk" foreign key ("agent_id") references "agent" ("id") deferrable initially deferred;`);
    this.addSql(`alter table "agent_account" add constraint "agent_account_owner" check (("kind" = 'agent') = ("agent_id" is not null));`);
    this.addSql(`alter table "agent_account" add constraint "agent_account_credit_not_negative" check ("credit_limit" >= 0);`);
    // The rule of the money: an agent never ends below minus its credit limit, whatever runs at the same time.
    this.addSql(`alter table "agent_account" add constraint "agent_account_within_credit" check ("kind" <> 'agent' or "balance" + "credit_limit" >= 0);`);
    this.addSql(`alter table "agent_ledger_entry" add constraint "agent_ledger_entry_account_fk" foreign key ("account_id") references "agent_account" ("id");`);
    this.addSql(`alter table "agent_quota" add constraint "agent_quota_agent_fk" foreign key ("agent_id") references "agent" ("id") deferrable initially deferred;`);
    // A quota is never overdrawn, whatever runs at the same time (consumption is one conditional UPDATE as well).
    this.addSql(`alter table "agent_quota" add constraint "agent_quota_within_limit" check ("quota_limit" >= 0 and "used" >= 0 and "used" <= "quota_limit");`);
    this.addSql(`alter table "agent_api_key" add constraint "agent_api_key_agent_fk" foreign key ("agent_id") references "agent" ("id") deferrable initially deferred;`);

    // The ledger is append-only: corrections are new transactions.
    this.addSql(`
CREATE OR REPLACE FUNCTION agent_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION 'agent_ledger_entry is append-only: % refused', TG_OP;
END
$fn$;`);
    this.addSql(`CREATE TRIGGER agent_ledger_entry_append_only BEFORE UPDATE OR DELETE ON "agent_ledger_entry" FOR EACH ROW EXECUTE FUNCTION agent_ledger_append_only();`);

    /*
     * One posting = one call: checks that the legs are at least two, in one currency, on existing accounts and sum to
     * zero (SQLSTATE AG001 otherwise), applies them to the agent accounts' balances in account order (no deadlock
     * between postings) — where the CHECK agent_account_within_credit refuses an overdraft (SQLSTATE 23514) — and
     * writes the entries. House accounts keep no running balance (their balance is the sum of their entries), so the
     * many postings that touch them never queue on one row.
     */
    this.addSql(`
CREATE OR REPLACE FUNCTION agent_ledger_post(
  p_kind text, p_legs jsonb, p_reference_type text, p_reference_id text, p_note text, p_actor_type text, p_actor_id text
) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_txn text := 'atxn_' || replace(gen_random_uuid()::text, '-', '');
  v_count integer;
  v_sum numeric;
  v_missing text;
  v_currencies integer;
  v_leg record;
BEGIN
  SELECT count(*), sum((l->>'amount')::numeric) INTO v_count, v_sum FROM jsonb_array_elements(p_legs) l;
  IF v_count < 2 THEN
    RAISE EXCEPTION USING ERRCODE = 'AG001', MESSAGE = 'A ledger transaction needs at least two legs';
  END IF;
  IF v_sum <> 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'AG001', MESSAGE = format('The legs of a ledger transaction must sum to zero; they sum to %s', trim_scale(v_sum));
  END IF;
  SELECT l->>'account_id' INTO v_missing FROM jsonb_array_elements(p_legs) l
    LEFT JOIN agent_account a ON a.id = l->>'account_id' AND a.deleted_at IS NULL WHERE a.id IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING ERRCODE = 'AG001', MESSAGE = format('Ledger account %s was not found', v_missing);
  END IF;
  SELECT count(DISTINCT a.currency_code) INTO v_currencies FROM jsonb_array_elements(p_legs) l JOIN agent_account a ON a.id = l->>'account_id';
  IF v_currencies > 1 THEN
    RAISE EXCEPTION USING ERRCODE = 'AG001', MESSAGE = 'All legs of a ledger transaction must be in one currency';
  END IF;
  FOR v_leg IN
    SELECT l->>'account_id' AS account_id, sum((l->>'amount')::numeric) AS amount
      FROM jsonb_array_elements(p_legs) l GROUP BY 1 ORDER BY 1
  LOOP
    UPDATE agent_account
       SET balance = balance + v_leg.amount,
           raw_balance = jsonb_build_object('value', trim_scale(balance + v_leg.amount)::text, 'precision', 20),
           updated_at = now()
     WHERE id = v_leg.account_id AND kind = 'agent';
  END LOOP;
  INSERT INTO agent_ledger_entry (id, transaction_id, account_id, agent_id, kind, amount, raw_amount, currency_code,
                                  reference_type, reference_id, note, actor_type, actor_id)
  SELECT 'aledg_' || replace(gen_random_uuid()::text, '-', ''), v_txn, a.id, a.agent_id, p_kind, (l.leg->>'amount')::numeric,
         jsonb_build_object('value', l.leg->>'amount', 'precision', 20), a.currency_code,
         p_reference_type, p_reference_id, p_note, p_actor_type, p_actor_id
    FROM jsonb_array_elements(p_legs) WITH ORDINALITY AS l(leg, n)
    JOIN agent_account a ON a.id = l.leg->>'account_id'
   ORDER BY l.n;
  RETURN v_txn;
END
$fn$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`DROP FUNCTION IF EXISTS agent_ledger_post(text, jsonb, text, text, text, text, text);`);
    this.addSql(`drop table if exists "agent_ledger_entry" cascade;`);
    this.addSql(`DROP FUNCTION IF EXISTS agent_ledger_append_only();`);
    this.addSql(`drop table if exists "agent_quota" cascade;`);
    this.addSql(`drop table if exists "agent_api_key" cascade;`);
    this.addSql(`drop table if exists "agent_account" cascade;`);
    this.addSql(`drop table if exists "agent" cascade;`);
  }

}
