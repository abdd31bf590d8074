import type { MedusaResponse } from "@medusajs/framework/http"
import { randomUUID } from "crypto"
import { MedusaError } from "@medusajs/framework/utils"
import { placeAgentOrderWorkflow } from "../../../../../../../workflows/agents"
import { clientIp } from "../../../../../../utils/rate-limit"
import { agentOf, isAgentOrderHeld, requireScope, retrieveAgentOrder, wholesaleRequestHash } from "../../../../../helpers"
import { callbackUrlAccepted, DujiaoError, dujiaoRoute, errorMessage, findDujiaoOrder, idOfDujiaoId, medusaErrorType, orderFields } from "../../../../helpers"
import { DujiaoCreateOrder } from "../../../../validators"

const ORDER_NO = /^[\x21-\x7e]{1,255}$/

/**
 * dujiao-next's order: one SKU (variant) and quantity, placed through the same workflow as `POST /wholesale/orders`
 * with `downstream_order_no` as the Idempotency-Key (quotas, credit, risk, ledger, codes in one transaction). A repeated
 * `downstream_order_no` answers the existing order, charged once. Insufficient balance + credit answers HTTP 200
 * `ok: false`, `payment_failed`, status `canceled` (nothing kept), as dujiao-next does. Codes are not in this answer:
 * `GET …/orders/:id` reveals them (audited). Scope `orders:write`.
 */
export const POST = dujiaoRoute(async (req, res: MedusaResponse) => {
  const principal = agentOf(req)
  requireScope(principal, "orders:write")
  const parsed = DujiaoCreateOrder.safeParse(req.body ?? {})
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new DujiaoError(400, "bad_request", `invalid request: ${issue.path.join(".") || "body"}: ${issue.message}`)
  }
  const body = parsed.data
  if (body.callback_url && !callbackUrlAccepted(body.callback_url)) throw new DujiaoError(400, "invalid_callback_url", "invalid callback url")
  if (body.manual_form_data && Object.keys(body.manual_form_data).length) {
    throw new DujiaoError(400, "bad_request", "manual form data is invalid: this product takes no form")
  }
  const given = (body.downstream_order_no ?? "").trim()
  if (given && !ORDER_NO.test(given)) throw new DujiaoError(400, "bad_request", "downstream_order_no must be 1 to 255 printable ASCII characters")
  // Without a downstream number every request is a new order, as in dujiao-next.
  const key = given || `dujiao-${randomUUID()}`
  const answerExisting = async () => {
    const order = await findDujiaoOrder(req.scope, principal.agent_id, key)
    res.json({ ok: true, ...(await orderFields(req.scope, order, await isAgentOrderHeld(req.scope, order.id))) })
  }
  if (given) {
    const existing = await findDujiaoOrder(req.scope, principal.agent_id, key).catch(() => null)
    if (existing) return answerExisting()
  }
  // The SKU by its number (as our catalog gives it) or our variant id.
  const variantId = await idOfDujiaoId(req.scope, "variant", body.sku_id)
  if (!variantId) throw new DujiaoError(400, "sku_unavailable", "sku is invalid or not available")
  const items = [{ variant_id: variantId, quantity: body.quantity }]
  const request_hash = wholesaleRequestHash(items)
  let result
  try {
    ;({ result } = await placeAgentOrderWorkflow(req.scope).run({
      input: { agent_id: principal.agent_id, idempotency_key: key, request_hash, items, ip: clientIp(req) },
    }))
  } catch (e) {
    const type = medusaErrorType(e)
    const message = errorMessage(e)
    if (!type) throw e
    if (type === MedusaError.Types.DUPLICATE_ERROR) return answerExisting()
    if (type === MedusaError.Types.NOT_ALLOWED && /^Insufficient funds/.test(message)) {
      // The order did not happen (its transaction rolled back): canceled, as dujiao-next cancels an unpaid order.
      res.json({ ok: false, order_id: null, order_no: null, status: "canceled", error_code: "payment_failed", error_message: "wallet payment failed: insufficient balance" })
      return
    }
    if (type === MedusaError.Types.NOT_ALLOWED && /^Out of stock/.test(message)) throw new DujiaoError(409, "insufficient_stock", "insufficient stock")
    if (type === MedusaError.Types.NOT_FOUND || type === MedusaError.Types.INVALID_DATA) throw new DujiaoError(400, "sku_unavailable", "sku is invalid or not available")
    if (type === MedusaError.Types.CONFLICT) throw new DujiaoError(409, "order_processing", "an order with this downstream_order_no is still being processed")
    if (type === MedusaError.Types.NOT_ALLOWED) throw new DujiaoError(400, "product_unavailable", message)
    throw e
  }
  const order = result.order ?? (await retrieveAgentOrder(req.scope, { id: result.agent_order_id, agent_id: principal.agent_id }))
  const held = result.order ? result.held : await isAgentOrderHeld(req.scope, order.id)
  res.json({ ok: true, ...(await orderFields(req.scope, order, held)) })
})
