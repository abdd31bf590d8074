import type { MedusaResponse } from "@medusajs/framework/http"
import { agentOf } from "../../../../../helpers"
import { agentAccount, dujiaoRoute, money2 } from "../../../../helpers"

/** dujiao-next's ping: who the key is and what it can spend (the agent's available balance: balance + credit). */
export const POST = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  const account = await agentAccount(req.scope, principal.agent_id)
  res.json({
    ok: true,
    site_name: "Medusa virtual goods",
    protocol_version: "1.0",
    user_id: principal.agent_id,
    balance: money2(account.available),
    currency: account.currency_code.toUpperCase(),
    member_level: null,
  })
})
