import { Migration } from "@medusajs/framework/mikro-orm/migrations"

/**
 * The checkout's reservation without planning on every call. `card_vault_reserve` (Migration20261123031500) claimed
 * with `LIMIT p_quantities[i] - v_held`. PL/pgSQL passes that as a parameter. For a generic plan, PostgreSQL then
 * assumes the LIMIT keeps 10% of the pool, so the generic plan looks far costlier than a custom one (for a 100k pool,
 * a hash join over a sequential scan of card_code). The plan cache therefore re-planned the claim on every call, and
 * planning was a third of the function's server time (perf on the backend, 2026-11-30). The raw one-statement claim
 * pays the same planning, because node-pg sends it unnamed.
 *
 * Now a need of one code per pool (checkout's usual line, and every claim of the claim benchmark) runs its own claim
 * statement with a constant `LIMIT 1`, one per allocation order. Its generic plan is exact, so after PostgreSQL's five
 * custom plans each connection keeps one cached plan: the same partial index of available codes
 * (IDX_card_code_claimable_fifo / IDX_card_code_claimable), the same nested loop on the primary key. Larger needs
 * (a line of several codes, a wholesale order) keep the statements with a parameter LIMIT and their per-call plans, as
 * before: one call's planning is shared by all the codes it claims.
 *
 * Everything else is unchanged: the per-cart advisory lock, then per pool the allocation order (a missing or
 * soft-deleted pool is a shortage), the held count (a retried completion reserves only the difference), the claim
 * (`FOR UPDATE SKIP LOCKED`, expired codes never taken), the `reserve` audit row, CV001 on any shortage with the whole
 * call rolled back. The signature and result are the same, so callers do not change.
 *
 * Measured once the planning was gone, and not kept: dropping the audit log's deleted_at index and making its order_id
 * index partial, passing the allocation order from the caller, folding the held count into the pool lookup or into the
 * claim, the claim and the audit row in one statement, no advisory lock. None saved server CPU per claim beyond the
 * noise (two identical functions differed by 2–4%); the statements folded together were if anything slower. The whole
 * audit row costs 5–9%: it stays, as the trail of who reserved which codes for which cart and when.
 */
export class Migration20261130060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`
CREATE OR REPLACE FUNCTION card_vault_reserve(
  p_cart text, p_pools text[], p_quantities integer[], p_audit_ids text[],
  p_actor_type text, p_actor_id text, p_ip text, p_user_agent text
) RETURNS text[] LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_order text;
  v_held integer;
  v_need integer;
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
    v_need := p_quantities[i] - v_held;
    v_ids := '{}';
    IF v_need > 0 THEN
      -- A need of one: constant LIMIT 1, so the cached generic plan is the right one (see the migration's comment).
      IF v_need = 1 AND v_order = 'expiry_first' THEN
        WITH c AS (
          SELECT id FROM card_code
           WHERE pool_id = p_pools[i] AND status = 'available' AND deleted_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())
           ORDER BY expires_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
        u AS (
          UPDATE card_code cc SET status = 'reserved', cart_id = p_cart, reserved_at = now(), updated_at = now()
            FROM c WHERE cc.id = c.id AND cc.status = 'available'
          RETURNING cc.id)
        SELECT coalesce(array_agg(id), '{}') INTO v_ids FROM u;
      ELSIF v_need = 1 THEN
        WITH c AS (
          SELECT id FROM card_code
           WHERE pool_id = p_pools[i] AND status = 'available' AND deleted_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())
           ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED),
        u AS (
          UPDATE card_code cc SET status = 'reserved', cart_id = p_cart, reserved_at = now(), updated_at = now()
            FROM c WHERE cc.id = c.id AND cc.status = 'available'
          RETURNING cc.id)
        SELECT coalesce(array_agg(id), '{}') INTO v_ids FROM u;
      ELSIF v_order = 'expiry_first' THEN
        WITH c AS (
          SELECT id FROM card_code
           WHERE pool_id = p_pools[i] AND status = 'available' AND deleted_at IS NULL
             AND (expires_at IS NULL OR expires_at > now())
           ORDER BY expires_at, id LIMIT v_need FOR UPDATE SKIP LOCKED),
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
           ORDER BY created_at, id LIMIT v_need FOR UPDATE SKIP LOCKED),
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
  }

  override async down(): Promise<void> {
    // The definition of Migration20261123031500, verbatim.
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
  }
}
