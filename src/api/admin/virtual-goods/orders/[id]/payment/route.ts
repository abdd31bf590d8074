import type { MedusaRequest, MedusaResponse } from "@medusajs/framework/http"
import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import type { BigNumberInput } from "@medusajs/framework/types"
import { paymentReconciliationModule } from "../../../../../../workflows/payments/utils/payment-reconciliation-module"
import { findingBody } from "../../../payments/helpers"

type OrderPaymentsRow = {
  id: string
  payment_collections?: {
    payments?: {
      id: string
      provider_id: string
      amount: BigNumberInput
      currency_code: string
      captured_at: Date | string | null
      canceled_at: Date | string | null
      data?: Record<string, unknown> | null
      captures?: { amount: BigNumberInput }[] | null
      refunds?: { amount: BigNumberInput }[] | null
    }[]
  }[]
}

/**
 * An order's payments as the admin's order page shows them: provider, status, captured and refunded amounts (exact
 * decimal strings), the provider's payment intent, Radar's outcome when the webhook inbox has it; and the order's
 * reconciliation findings.
 */
export const GET = async (req: MedusaRequest, res: MedusaResponse) => {
  const query = req.scope.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({
    entity: "order",
    fields: [
      "id",
      "payment_collections.payments.id",
      "payment_collections.payments.provider_id",
      "payment_collections.payments.amount",
      "payment_collections.payments.currency_code",
      "payment_collections.payments.captured_at",
      "payment_collections.payments.canceled_at",
      "payment_collections.payments.data",
      "payment_collections.payments.captures.amount",
      "payment_collections.payments.refunds.amount",
    ],
    filters: { id: req.params.id },
  })
  const order = (data as OrderPaymentsRow[])[0]
  if (!order) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Order ${req.params.id} was not found`)
  const module = paymentReconciliationModule(req.scope)
  const payments = []
  for (const p of (order.payment_collections ?? []).flatMap((c) => c.payments ?? [])) {
    const captured = MathBN.sum(0, ...(p.captures ?? []).map((c) => c.amount))
    const refunded = MathBN.sum(0, ...(p.refunds ?? []).map((r) => r.amount))
    const intentId = typeof p.data?.id === "string" && p.data.id.startsWith("pi_") ? p.data.id : null
    let radar: { risk_level: string | null; risk_score: number | null } | null = null
    if (intentId) {
      const events = await module.listPaymentWebhookEvents({ payment_intent_id: intentId }, { select: ["summary"], order: { stripe_created_at: "DESC" } })
      const withOutcome = events.map((e) => e.summary as { risk_level?: string | null; risk_score?: number | null } | null).find((s) => s?.risk_level)
      if (withOutcome) radar = { risk_level: withOutcome.risk_level ?? null, risk_score: withOutcome.risk_score ?? null }
    }
    payments.push({
      id: p.id,
      provider_id: p.provider_id,
      amount: MathBN.convert(p.amount).toString(),
      currency_code: p.currency_code,
      captured_amount: captured.toString(),
      refunded_amount: refunded.toString(),
      status: p.canceled_at
        ? "canceled"
        : MathBN.gt(refunded, 0)
          ? MathBN.gte(refunded, captured) ? "refunded" : "partially_refunded"
          : p.captured_at ? "captured" : "authorized",
      payment_intent_id: intentId,
      radar,
    })
  }
  const findings = await module.listPaymentFindings({ order_id: req.params.id }, { order: { created_at: "DESC" } })
  res.json({ payments, findings: findings.map(findingBody) })
}
