/**
 * The audit log's hash chains, in the database so that every writer of `card_audit_log` — the checkout's
 * `card_vault_reserve`, the streaming import, the services' inserts — is linked without knowing about it.
 *
 * - `card_audit_row_hash(row, prev)` is SHA-256 over a canonical JSON array of the previous link's hash and every
 *   column of the row (timestamps in UTC with microseconds, JSON columns as `jsonb` text, which is canonical).
 * - A deferred constraint trigger links each new row at commit, in the transaction that wrote it: it picks the
 *   transaction's chain (one of `AUDIT_CHAINS`, by transaction id, so concurrent writers mostly use different chains
 *   and one transaction only ever locks one chain head — two transactions can never wait for each other's heads),
 *   locks the chain's head, writes the link (chain, seq, prev hash, hash) and moves the head. A row that does not
 *   commit is never linked; a committed row without a link was written with the triggers off.
 * - Links and checkpoints are append-only (a trigger refuses UPDATE and DELETE), like the log itself.
 * - Rows written before the chains existed are linked, in time order, into the chain `legacy` when the migration runs.
 *
 * This text is the definition: the migration installs it.
 */

/** How many chains the log is spread over (by transaction). */
export const AUDIT_CHAINS = 16

/** The "previous hash" of a chain's first link. */
export const AUDIT_GENESIS = "0".repeat(64)

/** The chain of rows written before the chains existed. */
export const LEGACY_CHAIN = "legacy"

export function auditChainSql(): string[] {
  return [
    `CREATE OR REPLACE FUNCTION card_audit_row_hash(r card_audit_log, prev text) RETURNS text LANGUAGE sql STABLE AS $fn$
  SELECT encode(sha256(convert_to(jsonb_build_array(
    prev, r.id, r.action, r.actor_type, r.actor_id, r.ip, r.user_agent, r.pool_id, r.batch_id, r.order_id, r.cart_id,
    r.code_ids, r.code_count, r.reason, r.details,
    to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
    to_char(r.deleted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')
  )::text, 'UTF8')), 'hex')
$fn$;`,
    `CREATE OR REPLACE FUNCTION card_audit_link_row() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
  v_chain text := 'c' || lpad((txid_current() % ${AUDIT_CHAINS})::text, 2, '0');
  v_seq bigint;
  v_head text;
  v_hash text;
BEGIN
  INSERT INTO card_audit_chain (id, seq, head) VALUES (v_chain, 0, '${AUDIT_GENESIS}') ON CONFLICT (id) DO NOTHING;
  SELECT seq, head INTO v_seq, v_head FROM card_audit_chain WHERE id = v_chain FOR UPDATE;
  v_hash := card_audit_row_hash(NEW, v_head);
  INSERT INTO card_audit_link (id, chain_id, seq, prev_hash, hash) VALUES (NEW.id, v_chain, v_seq + 1, v_head, v_hash);
  UPDATE card_audit_chain SET seq = v_seq + 1, head = v_hash, updated_at = now() WHERE id = v_chain;
  RETURN NULL;
END
$fn$;`,
    `DROP TRIGGER IF EXISTS card_audit_log_chain ON "card_audit_log";`,
    `CREATE CONSTRAINT TRIGGER card_audit_log_chain AFTER INSERT ON "card_audit_log" DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION card_audit_link_row();`,
    `CREATE OR REPLACE FUNCTION card_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END
$fn$;`,
    `DROP TRIGGER IF EXISTS card_audit_link_append_only ON "card_audit_link";`,
    `CREATE TRIGGER card_audit_link_append_only BEFORE UPDATE OR DELETE ON "card_audit_link" FOR EACH ROW EXECUTE FUNCTION card_audit_append_only();`,
    `DROP TRIGGER IF EXISTS card_audit_checkpoint_append_only ON "card_audit_checkpoint";`,
    `CREATE TRIGGER card_audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON "card_audit_checkpoint" FOR EACH ROW EXECUTE FUNCTION card_audit_append_only();`,
    // Rows written before the chains existed, linked in time order into a chain of their own.
    `DO $fn$
DECLARE
  r card_audit_log;
  v_seq bigint := 0;
  v_head text := '${AUDIT_GENESIS}';
  v_hash text;
BEGIN
  SELECT seq, head INTO v_seq, v_head FROM card_audit_chain WHERE id = '${LEGACY_CHAIN}';
  v_seq := coalesce(v_seq, 0);
  v_head := coalesce(v_head, '${AUDIT_GENESIS}');
  FOR r IN SELECT a.* FROM card_audit_log a WHERE NOT EXISTS (SELECT 1 FROM card_audit_link l WHERE l.id = a.id) ORDER BY a.created_at, a.id LOOP
    v_seq := v_seq + 1;
    v_hash := card_audit_row_hash(r, v_head);
    INSERT INTO card_audit_link (id, chain_id, seq, prev_hash, hash) VALUES (r.id, '${LEGACY_CHAIN}', v_seq, v_head, v_hash);
    v_head := v_hash;
  END LOOP;
  IF v_seq > 0 THEN
    INSERT INTO card_audit_chain (id, seq, head) VALUES ('${LEGACY_CHAIN}', v_seq, v_head)
      ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, head = excluded.head, updated_at = now();
  END IF;
END
$fn$;`,
  ]
}
