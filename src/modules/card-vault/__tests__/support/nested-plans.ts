import { Client } from "pg"

/** A node of a JSON plan as PostgreSQL writes it (the fields read here; every other field is kept). */
export type PlanNode = {
  "Node Type": string
  "Relation Name"?: string
  "Index Name"?: string
  Plans?: PlanNode[]
  [field: string]: unknown
}

export type NestedPlan = {
  /** The statement as the function ran it. */
  query: string
  /** The statement's run time as auto_explain measured it. */
  duration_ms: number
  /** The plan as auto_explain wrote it: JSON text, or with `format: "text"` the text plan after "Query Text". */
  text: string
  /** The parsed plan (JSON format only). */
  plan?: PlanNode
  /** Every index (or "Seq Scan") the plan reads card_code with, in plan order (JSON format only). */
  card_code_scans: string[]
}

export type NestedPlanOptions = {
  /** Log actual row counts and buffers too (EXPLAIN ANALYZE, BUFFERS), without per-node timing. */
  analyze?: boolean
  format?: "json" | "text"
}

/**
 * Runs one SQL call on a connection of its own with PostgreSQL's auto_explain logging the plan of every statement,
 * nested ones included (the statements inside a PL/pgSQL function, with the plans the function really used), to this
 * client; returns those plans. The call runs in a transaction that is rolled back: whatever it changed is gone.
 * Needs a superuser (LOAD), as the tests and benchmarks connect.
 */
export async function nestedPlans(
  database: string,
  sql: string,
  params: unknown[] = [],
  options: NestedPlanOptions = {}
): Promise<NestedPlan[]> {
  const format = options.format ?? "json"
  const client = new Client({
    host: process.env.DB_HOST,
    port: Number(process.env.DB_PORT ?? 5432),
    user: process.env.DB_USERNAME,
    password: process.env.DB_PASSWORD || undefined,
    database,
  })
  const logged: string[] = []
  client.on("notice", (msg) => logged.push(String(msg.message)))
  await client.connect()
  try {
    await client.query("LOAD 'auto_explain'")
    await client.query(
      "SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; " +
        `SET auto_explain.log_format = ${format}; SET client_min_messages = log` +
        (options.analyze ? "; SET auto_explain.log_analyze = on; SET auto_explain.log_buffers = on; SET auto_explain.log_timing = off" : "")
    )
    await client.query("BEGIN")
    try {
      await client.query(sql, params)
    } finally {
      await client.query("ROLLBACK")
    }
  } finally {
    await client.end()
  }
  const plans: NestedPlan[] = []
  for (const message of logged) {
    const head = /^duration: ([\d.]+) ms\s+plan:\s*/.exec(message)
    if (!head) continue
    const body = message.slice(head[0].length)
    const duration_ms = Number(head[1])
    if (format === "text") {
      // "Query Text: <statement, maybe over several lines>" then the plan, whose first line carries the costs.
      const lines = body.split("\n")
      const first = lines.findIndex((l) => l.includes("(cost="))
      const query = lines.slice(0, first).join("\n").replace(/^Query Text: /, "")
      plans.push({ query, duration_ms, text: lines.slice(first).join("\n"), card_code_scans: [] })
      continue
    }
    const doc = JSON.parse(body) as { "Query Text": string; Plan: PlanNode }
    const scans: string[] = []
    const walk = (node: PlanNode) => {
      if (node["Relation Name"] === "card_code") scans.push(node["Index Name"] ?? node["Node Type"])
      for (const child of node.Plans ?? []) walk(child)
    }
    walk(doc.Plan)
    plans.push({ query: doc["Query Text"], duration_ms, text: body, plan: doc.Plan, card_code_scans: scans })
  }
  return plans
}
