import { Client } from "pg"

/** What the chaos test's clients saw; the checks themselves read the database. */
export type ChaosFacts = {
  placed: { order_id: string; cart_id: string; secret: string; pool_id: string; ip: string }[]
  /** Idempotency-Key → the agent order id answered for it. */
  wholesale: Map<string, string>
  reveals: number
  revealMismatches: string[]
  refunded: string[]
  kills: { member: string; at_s: number }[]
  errors: string[]
  rotation?: string
}

type Input = {
  facts: ChaosFacts
  /** Webhook deliveries the endpoint accepted (x-vg-delivery → times). */
  received: Map<string, number>
  pools: { handle: string; pool_id: string }[]
  /** Codes imported per pool during the traffic (on top of the seed's batches, which card_batch counts too). */
  imported: Record<string, number>
  trafficStarted: number
}

export type InvariantReport = {
  /** Nothing is in flight any more: every order delivered/returned/held, every agent order booked, no webhook pending. */
  settled: boolean
  /** Broken promises (each one a sentence); empty when all hold. */
  problems: string[]
  lines: string[]
}

const rows = async <T>(pg: Client, sql: string, params: unknown[] = []) => (await pg.query(sql, params)).rows as T[]

/**
 * The promises of the scale-out deployment, checked in SQL: conservation per pool (batches' code_count = the sum of
 * the statuses), no code in two orders (a line holds exactly its quantity, no blind index twice in a pool), every
 * paid store order delivered, refunded or held, every answered agent order booked once (one Medusa order, one ledger
 * posting), no webhook lost (delivered, dead-lettered, or pending with a next attempt; everything marked delivered
 * reached the endpoint), each job once per tick.
 */
export async function invariantReport(pg: Client, input: Input): Promise<InvariantReport> {
  const problems: string[] = []
  const lines: string[] = []
  let settled = true

  // Conservation per pool.
  for (const pool of input.pools) {
    const [c] = await rows<Record<string, number>>(
      pg,
      `select count(*) filter (where status = 'available')::int as available, count(*) filter (where status = 'reserved')::int as reserved,
              count(*) filter (where status = 'delivered')::int as delivered, count(*) filter (where status = 'revealed')::int as revealed,
              count(*) filter (where status = 'voided')::int as voided, count(*) filter (where status = 'expired')::int as expired,
              count(*)::int as total,
              (select coalesce(sum(code_count), 0)::int from card_batch b where b.pool_id = $1) as batches,
              count(*) filter (where key_version <> 2)::int as old_key
         from card_code where pool_id = $1 and deleted_at is null`,
      [pool.pool_id]
    )
    lines.push(`pool ${pool.handle}: ${JSON.stringify(c)}`)
    if (c.total !== c.batches) problems.push(`pool ${pool.handle}: ${c.total} codes but batches count ${c.batches}`)
    if (c.old_key) problems.push(`pool ${pool.handle}: ${c.old_key} codes still sealed with key 1 after the rotation`)
    if (c.reserved) settled = false
  }
  const dupes = await rows<{ n: number }>(
    pg,
    `select count(*)::int as n from (select pool_id, blind_index from card_code where deleted_at is null group by 1, 2 having count(*) > 1) d`
  )
  if (dupes[0].n) problems.push(`${dupes[0].n} codes appear twice in a pool`)

  // Store orders: every paid order delivered (each line exactly its quantity), refunded (codes back) or held.
  const orders = await rows<{ id: string; agent: string | null; delivery: string | null; lines_short: number; lines_over: number; kept: number; refunded: boolean }>(
    pg,
    `select o.id, o.metadata->>'agent_order_id' as agent,
            (select d.status from card_delivery d where d.order_id = o.id and d.deleted_at is null limit 1) as delivery,
            (select count(*) from order_item oi join order_line_item li on li.id = oi.item_id
              where oi.order_id = o.id and oi.version = o.version and oi.deleted_at is null
                and (select count(*) from card_code c where c.line_item_id = li.id and c.status in ('delivered', 'revealed')) < oi.quantity)::int as lines_short,
            (select count(*) from order_item oi join order_line_item li on li.id = oi.item_id
              where oi.order_id = o.id and oi.version = o.version and oi.deleted_at is null
                and (select count(*) from card_code c where c.line_item_id = li.id and c.status in ('delivered', 'revealed')) > oi.quantity)::int as lines_over,
            (select count(*) from card_code c where c.order_id = o.id and c.status in ('delivered', 'revealed'))::int as kept,
            exists (select 1 from order_payment_collection opc join payment_collection pc on pc.id = opc.payment_collection_id
                     where opc.order_id = o.id and pc.refunded_amount > 0 and pc.refunded_amount >= pc.captured_amount) as refunded
       from "order" o where o.deleted_at is null`
  )
  const store = orders.filter((o) => !o.agent)
  const byState = { delivered: 0, refunded: 0, held: 0, in_flight: 0 }
  for (const o of store) {
    if (o.refunded) {
      if (o.kept) (settled = false), byState.in_flight++
      else byState.refunded++
    } else if (o.delivery === "held") byState.held++
    else if (o.delivery === "delivered" && !o.lines_short) byState.delivered++
    else (settled = false), byState.in_flight++
    if (o.lines_over) problems.push(`order ${o.id} holds more codes than its quantity`)
  }
  lines.push(`store orders in the database: ${store.length} ${JSON.stringify(byState)}`)
  const known = new Set(store.map((o) => o.id))
  const missing = input.facts.placed.filter((p) => !known.has(p.order_id))
  if (missing.length) problems.push(`${missing.length} orders answered to shoppers are not in the database`)
  for (const id of input.facts.refunded) {
    const o = store.find((x) => x.id === id)
    if (o && !o.refunded) problems.push(`order ${id}: refund answered 200 but not recorded`)
  }

  // Agent orders: each completed one booked exactly once.
  const agentOrders = await rows<{ id: string; status: string; bookkeeping_status: string | null; medusa_orders: number; postings: number; hooks: number }>(
    pg,
    `select a.id, a.status, a.bookkeeping_status,
            (select count(*) from "order" o where o.metadata->>'agent_order_id' = a.id and o.deleted_at is null)::int as medusa_orders,
            (select count(distinct e.transaction_id) from agent_ledger_entry e
              where e.reference_type = 'agent_order' and e.reference_id = a.id and e.kind = 'purchase')::int as postings,
            (select count(*) from agent_webhook_delivery w where w.payload->>'id' = a.id)::int as hooks
       from agent_order a where a.deleted_at is null`
  )
  const agentIds = new Set(agentOrders.map((a) => a.id))
  for (const [key, id] of input.facts.wholesale) if (!agentIds.has(id)) problems.push(`wholesale ${key}: answered order ${id} is not in the database`)
  let booked = 0
  for (const a of agentOrders) {
    if (a.status !== "completed") {
      if (input.facts.wholesale.has(a.id)) settled = false
      continue
    }
    if (a.bookkeeping_status !== "done") {
      settled = false
      continue
    }
    booked++
    if (a.medusa_orders !== 1) problems.push(`agent order ${a.id}: ${a.medusa_orders} Medusa orders`)
    if (a.postings !== 1) problems.push(`agent order ${a.id}: ${a.postings} ledger postings`)
    if (a.hooks !== 1) problems.push(`agent order ${a.id}: ${a.hooks} webhook deliveries`)
  }
  const unanswered = agentOrders.filter((a) => a.status === "completed" && ![...input.facts.wholesale.values()].includes(a.id)).length
  lines.push(`agent orders: ${agentOrders.length} (${booked} booked, ${unanswered} completed but not answered to the client: recovered)`)

  // Webhooks: none lost.
  const hooks = await rows<{ id: string; status: string; attempts: number; next_attempt_at: Date }>(pg, `select id, status, attempts, next_attempt_at from agent_webhook_delivery`)
  const hookStates: Record<string, number> = {}
  for (const h of hooks) {
    hookStates[h.status] = (hookStates[h.status] ?? 0) + 1
    if (h.status === "pending") settled = false
    if (h.status === "delivered" && !input.received.has(h.id)) problems.push(`webhook ${h.id} marked delivered but never received`)
  }
  const expectedHooks = agentOrders.filter((a) => a.bookkeeping_status === "done").length
  if (hooks.length < expectedHooks) problems.push(`${expectedHooks - hooks.length} booked agent orders have no webhook delivery`)
  lines.push(`webhooks: ${hooks.length} for ${expectedHooks} booked orders ${JSON.stringify(hookStates)}, received ${input.received.size}`)

  // Jobs: once per tick (the unique index makes a second run impossible; a takeover is a crashed run redone).
  const jobs = await rows<{ job_name: string; ticks: number; distinct_ticks: number; takeovers: number; failed: number }>(
    pg,
    `select job_name, count(*)::int as ticks, count(distinct tick_at)::int as distinct_ticks,
            count(*) filter (where attempts > 1)::int as takeovers, count(*) filter (where outcome = 'failed')::int as failed
       from job_tick where started_at >= to_timestamp($1 / 1000.0) - interval '1 minute' group by job_name order by job_name`,
    [input.trafficStarted]
  )
  for (const j of jobs) if (j.ticks !== j.distinct_ticks) problems.push(`job ${j.job_name} ran a tick twice`)
  lines.push(`jobs since the traffic began: ${jobs.map((j) => `${j.job_name} ${j.ticks} ticks${j.takeovers ? ` (${j.takeovers} taken over)` : ""}${j.failed ? ` (${j.failed} failed)` : ""}`).join(", ")}`)
  if (!jobs.some((j) => j.job_name === "virtual-goods-sweep")) problems.push("the minute sweep never ran")
  // The minute jobs missed no tick between their first and last one: a killed worker is back within the minute.
  const gaps = await rows<{ job_name: string; tick_at: Date; gap_s: number }>(
    pg,
    `select job_name, tick_at, gap_s from (
       select job_name, tick_at, extract(epoch from tick_at - lag(tick_at) over (partition by job_name order by tick_at))::int as gap_s
         from job_tick where started_at >= to_timestamp($1 / 1000.0) - interval '1 minute'
          and job_name in ('virtual-goods-sweep', 'virtual-goods-agent-webhooks', 'virtual-goods-agent-order-bookkeeping', 'virtual-goods-payment-reconciliation')
     ) t where gap_s > 60`,
    [input.trafficStarted]
  )
  for (const g of gaps) problems.push(`job ${g.job_name} missed ${g.gap_s / 60 - 1} tick(s) before ${g.tick_at.toISOString()}`)

  return { settled, problems, lines }
}
