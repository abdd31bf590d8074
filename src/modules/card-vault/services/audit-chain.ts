import type { KeyObject } from "crypto"
import type { Context } from "@medusajs/framework/types"
import { generateEntityId, InjectManager, InjectTransactionManager, MedusaContext, MedusaError } from "@medusajs/framework/utils"
import { AUDIT_GENESIS } from "../sql/audit-chain"
import {
  checkpointPayload,
  keyIdOf,
  parseSigningKey,
  publicKeyPem,
  signCheckpoint,
  verifyCheckpoint,
  type SignedCheckpoint,
  type SignedHead,
} from "../utils/checkpoint-signing"
import { VaultSqlService } from "../utils/sql"

/** What is wrong with one place of the audit log. */
export type AuditChainProblem = {
  /**
   * altered: the row's content no longer gives its link's hash · missing_row: a link whose row is gone · broken_link:
   * a link that does not follow the one before it (sequence or previous hash) · unlinked: a row that joined no chain
   * (written with the triggers off) · head_mismatch: a chain's head is not its last link · checkpoint_mismatch: a
   * signed checkpoint names a head the chain no longer has · bad_checkpoint: a checkpoint whose signature fails.
   */
  kind: "altered" | "missing_row" | "broken_link" | "unlinked" | "head_mismatch" | "checkpoint_mismatch" | "bad_checkpoint"
  chain_id: string | null
  seq: number | null
  audit_id: string | null
  checkpoint_id?: string | null
  message: string
}

export type AuditChainReport = {
  ok: boolean
  chains: number
  links: number
  rows: number
  checkpoints: { verified: number; key_id: string | null }
  /** The first problem of each chain (by sequence), then rows outside any chain; at most `limit`. */
  first_broken: AuditChainProblem[]
  problems: AuditChainProblem[]
}

export type AuditCheckpointRow = SignedCheckpoint & { id: string; heads: SignedHead[]; created_at: Date }

const MESSAGES: Record<AuditChainProblem["kind"], (p: AuditChainProblem) => string> = {
  altered: (p) => `chain ${p.chain_id} link ${p.seq}: row ${p.audit_id} was changed after it was written`,
  missing_row: (p) => `chain ${p.chain_id} link ${p.seq}: row ${p.audit_id} was deleted`,
  broken_link: (p) => `chain ${p.chain_id} link ${p.seq}: does not follow link ${Number(p.seq) - 1} (a link was removed, inserted or rewritten)`,
  unlinked: (p) => `row ${p.audit_id} is in no chain: it was written with the database's triggers switched off`,
  head_mismatch: (p) => `chain ${p.chain_id}: its head is not its last link (the head was set by hand)`,
  checkpoint_mismatch: (p) => `chain ${p.chain_id} link ${p.seq}: differs from what checkpoint ${p.checkpoint_id} signed (history was rewritten and the chain recomputed)`,
  bad_checkpoint: (p) => `checkpoint ${p.checkpoint_id}: its signature does not verify with the trusted key`,
}

/**
 * The audit log's integrity: verifying the hash chains every row joins when it is written (see sql/audit-chain.ts) and
 * naming the first broken link, and checkpoints — the chains' heads signed with an Ed25519 key kept outside the
 * database — which catch a history rewritten with its chains recomputed.
 */
export default class AuditChainService extends VaultSqlService {
  private signingKey_: KeyObject | null | undefined

  /** The configured signing key (parsed once); null when none is configured. */
  private signingKey(): KeyObject | null {
    if (this.signingKey_ === undefined) this.signingKey_ = parseSigningKey(this.options_.audit_signing_key)
    return this.signingKey_
  }

  /** The public half of the signing key (SPKI PEM), what verifies the checkpoints; null without a key. */
  auditPublicKey(): string | null {
    const key = this.signingKey()
    return key ? publicKeyPem(key) : null
  }

  /** Every chain's head: its last link's sequence number and hash. */
  @InjectManager()
  async getAuditChainHeads(@MedusaContext() ctx: Context = {}): Promise<SignedHead[]> {
    const { rows } = await this.knex_(ctx).raw(`SELECT id AS chain_id, seq::bigint AS seq, head AS hash FROM card_audit_chain ORDER BY id`)
    return rows.map((r: { chain_id: string; seq: string; hash: string }) => ({ chain_id: r.chain_id, seq: Number(r.seq), hash: r.hash }))
  }

  /**
   * Signs the chains' heads now and stores the checkpoint (append-only). Refused without a signing key. The caller
   * exports it (a file, a webhook): a copy outside the database is what survives someone rewriting it.
   */
  @InjectTransactionManager()
  async createAuditCheckpoint(@MedusaContext() ctx: Context = {}): Promise<AuditCheckpointRow> {
    const key = this.signingKey()
    if (!key) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        "No audit signing key is configured (option audit_signing_key, VIRTUAL_GOODS_AUDIT_SIGNING_KEY): checkpoints cannot be signed"
      )
    }
    const knex = this.knex_(ctx)
    // The heads as of this transaction's snapshot; a head moved by a commit after it is in the next checkpoint.
    const heads = await this.getAuditChainHeads(ctx)
    const signed = signCheckpoint(checkpointPayload(heads, new Date()), key)
    const id = generateEntityId(undefined, "caudcp")
    const [row] = await knex("card_audit_checkpoint")
      .insert({ id, heads: JSON.stringify(heads), ...signed })
      .returning(["id", "heads", "payload", "signature", "key_id", "public_key", "created_at"])
    return row
  }

  /** The newest checkpoints first. */
  @InjectManager()
  async listAuditCheckpoints(input: { limit?: number; offset?: number } = {}, @MedusaContext() ctx: Context = {}) {
    const knex = this.knex_(ctx)
    const [{ n }] = await knex("card_audit_checkpoint").count({ n: "*" })
    const rows: AuditCheckpointRow[] = await knex("card_audit_checkpoint")
      .select("id", "heads", "payload", "signature", "key_id", "public_key", "created_at")
      .orderBy([{ column: "created_at", order: "desc" }, { column: "id", order: "desc" }])
      .limit(input.limit ?? 20)
      .offset(input.offset ?? 0)
    return { checkpoints: rows, count: Number(n) }
  }

  /**
   * Verifies the audit log: every row's hash, every link's place in its chain, every chain's head, and the signed
   * checkpoints — those stored here and any `extra` ones (exported copies) — against `trusted_public_key` (the
   * configured signing key's by default). Read only. Names the first broken link of each chain.
   */
  @InjectManager()
  async verifyAuditChain(
    input: { limit?: number; extra_checkpoints?: (Pick<SignedCheckpoint, "payload" | "signature"> & { id?: string })[]; trusted_public_key?: string | null } = {},
    @MedusaContext() ctx: Context = {}
  ): Promise<AuditChainReport> {
    const knex = this.knex_(ctx)
    const limit = input.limit ?? 100
    const { rows: found } = await knex.raw(
      `WITH links AS (
         SELECT l.id, l.chain_id, l.seq, l.prev_hash, l.hash,
                lag(l.hash) OVER w AS expected_prev, lag(l.seq) OVER w AS prev_seq
           FROM card_audit_link l WINDOW w AS (PARTITION BY l.chain_id ORDER BY l.seq))
       SELECT kind, chain_id, seq::bigint AS seq, audit_id FROM (
         SELECT 'missing_row' AS kind, l.chain_id, l.seq, l.id AS audit_id FROM links l
          WHERE NOT EXISTS (SELECT 1 FROM card_audit_log a WHERE a.id = l.id)
         UNION ALL
         SELECT 'altered', l.chain_id, l.seq, l.id FROM links l JOIN card_audit_log a ON a.id = l.id
          WHERE card_audit_row_hash(a, l.prev_hash) IS DISTINCT FROM l.hash
         UNION ALL
         SELECT 'broken_link', l.chain_id, l.seq, l.id FROM links l
          WHERE l.prev_hash IS DISTINCT FROM coalesce(l.expected_prev, ?) OR l.seq <> coalesce(l.prev_seq, 0) + 1
         UNION ALL
         SELECT 'unlinked', NULL, NULL, a.id FROM card_audit_log a
          WHERE NOT EXISTS (SELECT 1 FROM card_audit_link l WHERE l.id = a.id)
         UNION ALL
         SELECT 'head_mismatch', c.id, c.seq, NULL FROM card_audit_chain c
           LEFT JOIN LATERAL (SELECT seq, hash FROM card_audit_link WHERE chain_id = c.id ORDER BY seq DESC LIMIT 1) t ON true
          WHERE coalesce(t.seq, 0) <> c.seq OR coalesce(t.hash, ?) IS DISTINCT FROM c.head
       ) p
       ORDER BY chain_id NULLS LAST, seq, kind
       LIMIT ?`,
      [AUDIT_GENESIS, AUDIT_GENESIS, limit + 1]
    )
    const problems: AuditChainProblem[] = found.map((r: { kind: AuditChainProblem["kind"]; chain_id: string | null; seq: string | null; audit_id: string | null }) =>
      this.problem_({ kind: r.kind, chain_id: r.chain_id, seq: r.seq === null ? null : Number(r.seq), audit_id: r.audit_id })
    )

    // Checkpoints: each signed head must still be the link at that place.
    const trusted = input.trusted_public_key ?? this.auditPublicKey()
    const stored = (await knex("card_audit_checkpoint").select("id", "payload", "signature").orderBy("created_at")) as { id: string; payload: string; signature: string }[]
    const checkpoints = [...stored, ...(input.extra_checkpoints ?? []).map((c, i) => ({ id: c.id ?? `extra-${i + 1}`, payload: c.payload, signature: c.signature }))]
    let verified = 0
    if (trusted) {
      const signedHeads: (SignedHead & { checkpoint_id: string })[] = []
      for (const c of checkpoints) {
        const checked = verifyCheckpoint(c, trusted)
        if (checked.error !== undefined) {
          problems.push(this.problem_({ kind: "bad_checkpoint", chain_id: null, seq: null, audit_id: null, checkpoint_id: c.id }))
          continue
        }
        verified++
        for (const h of checked.payload.heads) if (h.seq > 0) signedHeads.push({ ...h, checkpoint_id: c.id })
      }
      if (signedHeads.length) {
        const { rows: mismatched } = await knex.raw(
          `SELECT s.chain_id, s.seq, s.checkpoint_id, l.id AS audit_id
             FROM jsonb_to_recordset(?::jsonb) AS s(chain_id text, seq bigint, hash text, checkpoint_id text)
             LEFT JOIN card_audit_link l ON l.chain_id = s.chain_id AND l.seq = s.seq
            WHERE l.hash IS DISTINCT FROM s.hash
            ORDER BY s.chain_id, s.seq`,
          [JSON.stringify(signedHeads)]
        )
        for (const m of mismatched as { chain_id: string; seq: string; checkpoint_id: string; audit_id: string | null }[]) {
          problems.push(this.problem_({ kind: "checkpoint_mismatch", chain_id: m.chain_id, seq: Number(m.seq), audit_id: m.audit_id, checkpoint_id: m.checkpoint_id }))
        }
      }
    }

    const { rows: counts } = await knex.raw(
      `SELECT (SELECT count(*) FROM card_audit_chain)::int AS chains, (SELECT count(*) FROM card_audit_link)::int AS links,
              (SELECT count(*) FROM card_audit_log)::int AS rows`
    )
    const firstOfChain = new Map<string, AuditChainProblem>()
    for (const p of problems) {
      const key = p.chain_id ?? `row:${p.audit_id ?? p.checkpoint_id}`
      const seen = firstOfChain.get(key)
      if (!seen || (p.seq ?? Infinity) < (seen.seq ?? Infinity)) firstOfChain.set(key, p)
    }
    return {
      ok: problems.length === 0,
      chains: counts[0].chains,
      links: counts[0].links,
      rows: counts[0].rows,
      checkpoints: { verified, key_id: trusted ? keyIdOf(trusted) : null },
      first_broken: [...firstOfChain.values()].slice(0, limit),
      problems: problems.slice(0, limit),
    }
  }

  private problem_(p: Omit<AuditChainProblem, "message">): AuditChainProblem {
    return { ...p, checkpoint_id: p.checkpoint_id ?? null, message: MESSAGES[p.kind]({ ...p, message: "" }) }
  }
}
