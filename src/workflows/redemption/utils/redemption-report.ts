import type { MedusaContainer } from "@medusajs/framework/types"
import { MathBN } from "@medusajs/framework/utils"
import { agentsModule } from "../../agents/utils/agents-module"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"
import { redemptionModule } from "./redemption-module"

/** One line of the redemption report: of the vouchers sold in the period, how many were redeemed and how soon. */
export type RedemptionReportLine = {
  /** Vouchers (codes of pools with a program) sold in the period: delivered or revealed now. */
  sold: number
  /** Of those, redeemed at least once (a redemption not rolled back). */
  redeemed: number
  /** redeemed ÷ sold, four decimals ("0.2500"); null when nothing was sold. */
  rate: string | null
  /** Mean seconds from delivery to the first redemption, over the redeemed ones; null when none. */
  avg_seconds_to_redemption: number | null
}

export type RedemptionReport = {
  from: string
  to: string
  pools: (RedemptionReportLine & { pool_id: string })[]
  batches: (RedemptionReportLine & { pool_id: string; batch_id: string })[]
  /** Vouchers sold through the wholesale API, per agent. */
  agents: (RedemptionReportLine & { agent_id: string })[]
  /** Redemptions made in the period per channel (a partner per agent): count, rolled back, stored value taken. */
  channels: { channel: string; actor_id: string | null; redemptions: number; rolled_back: number; amount: string }[]
}

type Tally = { sold: number; redeemed: number; seconds: number }
const line = (t: Tally): RedemptionReportLine => ({
  sold: t.sold,
  redeemed: t.redeemed,
  rate: t.sold ? MathBN.div(t.redeemed, t.sold).toFixed(4) : null,
  avg_seconds_to_redemption: t.redeemed ? Math.round(t.seconds / t.redeemed) : null,
})

/**
 * The redemption report (核销率) for a period: per pool, batch and agent, the vouchers sold in it (by delivery time) and
 * how many were redeemed and how soon; per channel, the redemptions made in it. Codes come from the vault, vouchers and
 * their ledger from the redemption module, agents from the agents module: each module is read on its own.
 */
export async function redemptionReport(container: Pick<MedusaContainer, "resolve">, period: { from: Date; to: Date }): Promise<RedemptionReport> {
  const redemption = redemptionModule(container)
  const programs = await redemption.listVoucherPrograms({}, { select: ["pool_id"] })
  const poolIds = programs.map((p) => p.pool_id)
  const codes = poolIds.length
    ? await cardVaultModule(container).listCardCodes(
        { pool_id: poolIds, status: ["delivered", "revealed"], delivered_at: { $gte: period.from, $lt: period.to } },
        { select: ["id", "pool_id", "batch_id", "order_id", "delivered_at"] }
      )
    : []
  const vouchers = codes.length
    ? await redemption.listVouchers({ code_id: codes.map((c) => c.id), redeemed_count: { $gt: 0 } }, { select: ["code_id", "first_redeemed_at"] })
    : []
  const firstOf = new Map(vouchers.map((v) => [v.code_id, v.first_redeemed_at]))
  const orderIds = [...new Set(codes.flatMap((c) => (c.order_id ? [c.order_id] : [])))]
  const agentOrders = orderIds.length
    ? [
        ...(await agentsModule(container).listAgentOrders({ id: orderIds }, { select: ["id", "agent_id"] })),
        ...(await agentsModule(container).listAgentOrders({ order_id: orderIds }, { select: ["order_id", "agent_id"] })).map((o) => ({ id: o.order_id!, agent_id: o.agent_id })),
      ]
    : []
  const agentOf = new Map(agentOrders.map((o) => [o.id, o.agent_id]))

  const pools = new Map<string, Tally>()
  const batches = new Map<string, Tally & { pool_id: string }>()
  const agents = new Map<string, Tally>()
  const add = <K>(map: Map<K, Tally>, key: K, first: Date | null | undefined, delivered: Date | null, init: () => Tally = () => ({ sold: 0, redeemed: 0, seconds: 0 })) => {
    const t = map.get(key) ?? init()
    t.sold++
    if (first) {
      t.redeemed++
      t.seconds += Math.max(0, (new Date(first).getTime() - new Date(delivered ?? first).getTime()) / 1000)
    }
    map.set(key, t)
  }
  for (const c of codes) {
    const first = firstOf.get(c.id)
    add(pools, c.pool_id, first, c.delivered_at)
    add(batches as Map<string, Tally>, c.batch_id, first, c.delivered_at, () => ({ sold: 0, redeemed: 0, seconds: 0, pool_id: c.pool_id }) as Tally)
    const agent = c.order_id ? agentOf.get(c.order_id) : undefined
    if (agent) add(agents, agent, first, c.delivered_at)
  }

  const { rows } = await redemption.listRedemptions({ created_from: period.from, created_to: period.to }, { limit: 100_000, offset: 0 })
  const channels = new Map<string, { channel: string; actor_id: string | null; redemptions: number; rolled_back: number; amount: string }>()
  for (const r of rows.filter((r) => r.kind === "redeem")) {
    const key = r.channel === "partner" ? `partner:${r.actor_id}` : "counter"
    const c = channels.get(key) ?? { channel: r.channel, actor_id: r.channel === "partner" ? r.actor_id : null, redemptions: 0, rolled_back: 0, amount: "0" }
    c.redemptions++
    if (r.rolled_back_at) c.rolled_back++
    else if (r.amount) c.amount = MathBN.add(c.amount, r.amount).toString()
    channels.set(key, c)
  }
  return {
    from: period.from.toISOString(),
    to: period.to.toISOString(),
    pools: [...pools].map(([pool_id, t]) => ({ pool_id, ...line(t) })),
    batches: [...batches].map(([batch_id, t]) => ({ pool_id: t.pool_id, batch_id, ...line(t) })),
    agents: [...agents].map(([agent_id, t]) => ({ agent_id, ...line(t) })),
    channels: [...channels.values()],
  }
}
