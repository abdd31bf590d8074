import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The checkout's reservation as one database function, so that a reservation is one round trip: `card_vault_reserve`
 * takes the per-cart advisory lock, then for each pool reads its allocation order, counts what the cart already holds
 * of it (a retried completion needs only the rest), claims the missing codes with `FOR UPDATE SKIP LOCKED` in the
 * pool's order on its partial index of available codes, and writes the `reserve` audit row. Every statement after the
 * lock takes a fresh snapshot, so a completion that waited for the same cart's lock sees what that one reserved.
 * Any shortage raises SQLSTATE CV001 naming the pools, and the whole call is rolled back: all pools or nothing.
 *
 * Adds an index of delivered codes by delivery time (sales reports). Also drops the audit log's index on `action`: a handful of values over millions of rows, never used alone (the
 * admin filters by pool, order or time first), and one more index write on every reservation.
 */
export class Migration20261123031500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
CREATE OR REPLACE FUNCTION card_vault_reserve(
  p_cart text, p_pools text[], p_quantities integer[], p_audit_ids text[],
  p_actor_type text, p_actor_id text, p_ip text, p_user_agent text
) RETURNS text[] LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_order text;
  v_held integer;
  v_ids text[];
  v_all text[] := '{}';
  v_short text[] := '{}';
BEGIN
  IF coalesce(array_length(p_pools, 1), 0) <> coalesce(array_length(p_quantities, 1), 0)
     OR coalesce(array_length(p_pools, 1), 0) <> coalesce(array_length(p_audit_ids, 1), 0) THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'card_vault_reserve: pools, quantities and audit ids differ in length';
  END IF;
  PERFORM pg_advisory_xact_lock(hashtextextended('card-cart:' || p_cart, 0));
  FOR i IN 1 .. coalesce(array_length(p_pools, 1), 0) LOOP
    IF p_quantities[i] IS NULL OR p_quantities[i] <= 0 THEN
      RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('Quantity for pool %s must be a positive integer', p_pools[i]);
    END IF;
    SELECT allocation_order INTO v_order FROM card_pool WHERE id = p_pools[i] AND deleted_at IS NULL;
    IF NOT FOUND THEN
      v_short := v_short || format('%s (requested %s, available 0)', p_pools[i], p_quantities[i]);
      CONTINUE;
    END IF;
    SELECT count(*) INTO v_held FROM card_code
     WHERE cart_id = p_cart AND pool_id = p_pools[i] AND status IN ('reserved', 'delivered', 'revealed') AND deleted_at IS NULL;
    v_ids := '{}';
    IF v_held < p_quantities[i] THEN
      IF v_order = 'expiry_first' THEN
        WITH c AS (
          SELECT id FROM card_code
           WHERE pool_id = p_pools[i] AND status = 'available' AND deleted_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())
           ORDER BY expires_at, id LIMIT p_quantities[i] - v_held FOR UPDATE SKIP LOCKED),
        u AS (
          UPDATE card_code cc SET status = 'reserved', cart_id = p_cart, reserved_at = now(), updated_at = now()
            FROM c WHERE cc.id = c.id AND cc.status = 'available'
          RETURNING cc.id)
        SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_ids FROM u;
      ELSE
        WITH c AS (
          SELECT id FROM card_code
           WHERE pool_id = p_pools[i] AND status = 'available' AND deleted_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())
           ORDER BY created_at, id LIMIT p_quantities[i] - v_held FOR UPDATE SKIP LOCKED),
        u AS (
          UPDATE card_code cc SET status = 'reserved', cart_id = p_cart, reserved_at = now(), updated_at = now()
            FROM c WHERE cc.id = c.id AND cc.status = 'available'
          RETURNING cc.id)
        SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO v_ids FROM u;
      END IF;
      IF cardinality(v_ids) > 0 THEN
        INSERT INTO card_audit_log (id, action, actor_type, actor_id, ip, user_agent, pool_id, cart_id, code_ids, code_count, details)
        VALUES (p_audit_ids[i], 'reserve', p_actor_type, p_actor_id, p_ip, p_user_agent, p_pools[i], p_cart,
                to_jsonb(v_ids), cardinality(v_ids), jsonb_build_object('requested', p_quantities[i]));
      END IF;
    END IF;
    IF v_held + cardinality(v_ids) < p_quantities[i] THEN
      v_short := v_short || format('%s (requested %s, available %s)', p_pools[i], p_quantities[i], v_held + cardinality(v_ids));
    END IF;
    v_all := v_all || v_ids;
  END LOOP;
  IF cardinality(v_short) > 0 THEN
    RAISE EXCEPTION USING ERRCODE = 'CV001', MESSAGE = 'Out of stock: ' || array_to_string(v_short, '; ');
  END IF;
  RETURN v_all;
END
$fn$;`)
    this.addSql(`DROP INDEX IF EXISTS "IDX_card_audit_log_action";`)
    // Sales reports read sold codes by delivery time; codes never delivered are not in the index (imports stay cheap).
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_code_delivered_at" ON "card_code" ("delivered_at") WHERE delivered_at IS NOT NULL AND deleted_at IS NULL;`)
  }

  override async down(): Promise<void> {
    this.addSql(`DROP INDEX IF EXISTS "IDX_card_code_delivered_at";`)
    this.addSql(`DROP FUNCTION IF EXISTS card_vault_reserve(text, text[], integer[], text[], text, text, text, text);`)
    this.addSql(`CREATE INDEX IF NOT EXISTS "IDX_card_audit_log_action" ON "card_audit_log" ("action") WHERE deleted_at IS NULL;`)
  }
}
