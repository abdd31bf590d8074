import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { advanceSupplierOrder, applySupplierCallbackWorkflow } from "../../../../workflows/suppliers"
import { suppliersModule } from "../../../../workflows/suppliers/utils/suppliers-module"

/**
 * A supplier's callback about one of our orders. Its signature is verified by the supplier's adapter over the raw body
 * (a bad one: refused, the supplier's "fail" answer, nothing changed); a verified one moves the order like a query
 * (one conditional update), and a failed top-up is refunded. Answered in the form the supplier expects.
 */
export const POST = async (req: MedusaRequest, res: MedusaResponse) => {
  const suppliers = suppliersModule(req.scope)
  const logger = req.scope.resolve(ContainerRegistrationKeys.LOGGER)
  const raw = (req as MedusaRequest & { rawBody?: Buffer | string }).rawBody
  const rawBody = Buffer.isBuffer(raw) ? raw.toString("utf8") : typeof raw === "string" ? raw : ""
  const query = Object.fromEntries(Object.entries(req.query ?? {}).map(([k, v]) => [k, String(v)]))
  let verified
  try {
    verified = await suppliers.verifySupplierCallback(req.params.id, { headers: req.headers, raw_body: rawBody, query })
  } catch (e) {
    logger.warn(`virtual-goods: a callback for supplier ${req.params.id} was refused: ${e instanceof Error ? e.message : String(e)}`)
    const answer = await suppliers.supplierCallbackAnswer(req.params.id, false).catch(() => ({ status: 404, content_type: "text/plain", body: "not found" }))
    res.status(answer.status === 200 ? 401 : answer.status).type(answer.content_type).send(answer.body)
    return
  }
  const { order_no, answer } = verified.verified
  const { result } = await applySupplierCallbackWorkflow(req.scope).run({
    input: {
      supplier_id: req.params.id,
      order_no,
      answer: { state: answer.state, upstream_order_no: answer.upstream_order_no ?? null, total_cost: answer.total_cost ?? null, reason: answer.reason ?? null, answer: answer.answer ?? null },
    },
  })
  if (result.found && result.id && result.status === "failed") await advanceSupplierOrder(req.scope, result.id)
  const reply = verified.answer(true)
  res.status(reply.status).type(reply.content_type).send(reply.body)
}
