/**
 * A ledger posting, `agent_ledger_post(kind, legs jsonb, reference type, reference id, note, actor type, actor id) →
 * transaction id`: one posting is one call (see LedgerService.post, which calls it). It
 *
 * 1. checks that the legs are at least two, in one currency, on existing accounts and sum to zero (SQLSTATE AG001
 *    otherwise, naming what is wrong);
 * 2. applies them to the agent accounts' balances in account order (no deadlock between postings), where the CHECK
 *    agent_account_within_credit refuses an overdraft (SQLSTATE 23514);
 * 3. writes the entries (append-only: a trigger refuses UPDATE and DELETE).
 *
 * House accounts keep no running balance (their balance is the sum of their entries), so the many postings that touch
 * them never queue on one row. This text is the definition: a migration installs it, and a module test compares the
 * installed function with it.
 */
export function agentLedgerPostFunctionBody(): string {
  return `
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
`
}

/** The statement that installs (or replaces) `agent_ledger_post` with the body above. */
export function agentLedgerPostFunctionSql(): string {
  return `CREATE OR REPLACE FUNCTION agent_ledger_post(
  p_kind text, p_legs jsonb, p_reference_type text, p_reference_id text, p_note text, p_actor_type text, p_actor_id text
) RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$${agentLedgerPostFunctionBody()}$fn$;`
}
