import type { BigNumberInput } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, MathBN } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"

export type DescribeCaptureFailureStepInput = { order_id: string; payment_id: string }

export type CaptureFailure = {
  order_id: string
  payment_id: string
  provider_id: string | null
  payment_intent_id: string | null
  amount: string | null
  currency_code: string | null
}

export const describeCaptureFailureStepId = "describe-capture-failure"

type PaymentRow = { id: string; provider_id: string; amount: BigNumberInput; currency_code: string; data?: Record<string, unknown> | null }

/** Reads the payment whose capture failed: provider, amount (exact), the provider's payment intent. Reads only. */
export const describeCaptureFailureStep = createStep(describeCaptureFailureStepId, async (input: DescribeCaptureFailureStepInput, { container }) => {
  const query = container.resolve(ContainerRegistrationKeys.QUERY)
  const { data } = await query.graph({ entity: "payment", fields: ["id", "provider_id", "amount", "currency_code", "data"], filters: { id: input.payment_id } })
  const payment = (data as PaymentRow[])[0]
  const intent = payment?.data?.id
  const failure: CaptureFailure = {
    order_id: input.order_id,
    payment_id: input.payment_id,
    provider_id: payment?.provider_id ?? null,
    payment_intent_id: typeof intent === "string" ? intent : null,
    amount: payment ? MathBN.convert(payment.amount).toString() : null,
    currency_code: payment?.currency_code ?? null,
  }
  return new StepResponse(failure)
})
