import type { AuthenticatedMedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { actorOf, vaultOf } from "../../../../../utils/card-vault"
import type { AdminRevealCardCodeType } from "../../../validators"

/**
 * Shows an admin the plaintext of a delivered code, with a required reason. The vault records the reveal (user,
 * time, IP, user agent, reason) in the same transaction that reads the code. The plaintext goes to this response
 * only, never through a workflow, so it is never stored.
 */
export const POST = async (req: AuthenticatedMedusaRequest<AdminRevealCardCodeType>, res: MedusaResponse) => {
  const [card_code] = await vaultOf(req).revealCodes({
    code_ids: [req.params.id],
    actor: actorOf(req, "user"),
    reason: req.validatedBody.reason,
  })
  res.setHeader("Cache-Control", "no-store")
  res.json({ card_code })
}
