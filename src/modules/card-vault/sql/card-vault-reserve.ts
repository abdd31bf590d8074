import { claimCte } from "../utils/allocation-sql"
import { HELD_STATUSES } from "../utils/state-machine"
import { IN } from "../utils/sql"
import type { AllocationOrder } from "../types"

/**
 * The checkout's reservation, `card_vault_reserve(cart, pools, quantities, audit ids, actor type, actor id, ip, user
 * agent) → text[]`: one database function so that a reservation is one round trip (see CodeAllocationService
 * .reserveForCart, which calls it through `reservationCall`). In one statement's transaction it
 *
 * 1. takes the cart's advisory lock (concurrent completions of one cart run one after the other);
 * 2. per pool: reads the allocation order (a missing or deleted pool is a shortage), counts the codes the cart already
 *    holds (a retried completion reserves only the difference), claims the rest with the claim of utils/allocation-sql
 *    (the same text the TypeScript claim runs), and writes the `reserve` audit row;
 * 3. raises CV001 "Out of stock: …" naming every short pool, which rolls the whole call back.
 *
 * A need of one code runs its own statement with a constant `LIMIT 1`, one per allocation order, so that the cached
 * generic plan is exact (Migration20261130060000 explains the measurement); larger needs plan per call.
 *
 * This text is the definition: a migration installs it, and a module test compares the installed function with it.
 */
export function cardVaultReserveFunctionBody(): string {
  const claim = (order: AllocationOrder, limit: string, aggregate: string) =>
    `        ${claimCte(order, { pool: "p_pools[i]", limit, cart: "p_cart" })}
        SELECT coalesce(${aggregate}, '{}') INTO v_ids FROM u;`
  return `
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
     WHERE cart_id = p_cart AND pool_id = p_pools[i] AND status IN (${IN(HELD_STATUSES)}) AND deleted_at IS NULL;
    v_need := p_quantities[i] - v_held;
    v_ids := '{}';
    IF v_need > 0 THEN
      IF v_need = 1 AND v_order = 'expiry_first' THEN
${claim("expiry_first", "1", "array_agg(id)")}
      ELSIF v_need = 1 THEN
${claim("fifo", "1", "array_agg(id)")}
      ELSIF v_order = 'expiry_first' THEN
${claim("expiry_first", "v_need", "array_agg(id ORDER BY id)")}
      ELSE
${claim("fifo", "v_need", "array_agg(id ORDER BY id)")}
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
`
}

/** The statement that installs (or replaces) `card_vault_reserve` with the body above. */
export function cardVaultReserveFunctionSql(): string {
  return `CREATE OR REPLACE FUNCTION card_vault_reserve(
  p_cart text, p_pools text[], p_quantities integer[], p_audit_ids text[],
  p_actor_type text, p_actor_id text, p_ip text, p_user_agent text
) RETURNS text[] LANGUAGE plpgsql VOLATILE AS $fn$${cardVaultReserveFunctionBody()}$fn$;`
}
