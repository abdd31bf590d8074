import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { csvCell } from "../../../../../../utils/csv"
import { fetchAgent } from "../../helpers"
import type { AdminGetAgentStatementParamsType } from "../../../validators"
import { agentsModule } from "../../../../../../workflows/agents/utils/agents-module"

const DAY = 86_400_000
/**
 * The agent's statement (对账单) for UTC days [from, to] in one currency: opening balance, entries with the balance
 * after each, totals by kind, closing balance. `format=csv` downloads it as CSV (one row per entry, then the totals).
 */
export const GET = async (req: AuthenticatedMedusaRequest<unknown, AdminGetAgentStatementParamsType>, res: MedusaResponse) => {
  const agent = await fetchAgent(req.scope, req.params.id)
  const q = req.validatedQuery as AdminGetAgentStatementParamsType
  const to = q.to ? new Date(Date.parse(`${q.to}T00:00:00Z`) + DAY) : new Date(Math.floor(Date.now() / DAY) * DAY + DAY)
  const from = q.from ? new Date(`${q.from}T00:00:00Z`) : new Date(to.getTime() - 31 * DAY)
  const currency = q.currency_code ?? agent.accounts[0]?.currency_code
  const statement = await agentsModule(req.scope).statement({ agent_id: agent.id, currency_code: currency ?? "", from, to })
  if (q.format !== "csv") {
    res.json({ statement })
    return
  }
  const lines = [
    ["date", "kind", "amount", "balance_after", "reference_type", "reference_id", "note", "transaction_id"].join(","),
    ["", "opening_balance", "", statement.opening_balance, "", "", "", ""].join(","),
    ...statement.entries.map((e) =>
      [e.created_at, e.kind, e.amount, e.balance_after, e.reference_type, e.reference_id, e.note, e.transaction_id].map(csvCell).join(",")
    ),
    ...Object.entries(statement.totals).map(([kind, total]) => ["", `total_${kind}`, total, "", "", "", "", ""].join(",")),
    ["", "closing_balance", "", statement.closing_balance, "", "", "", ""].join(","),
  ]
  res.setHeader("content-type", "text/csv; charset=utf-8")
  res.setHeader("content-disposition", `attachment; filename="statement-${agent.id}-${statement.currency_code}-${statement.from.slice(0, 10)}.csv"`)
  res.send(lines.join("\n") + "\n")
}
