import { ContainerRegistrationKeys, MathBN, MedusaError } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { refundPaymentWorkflow } from "@medusajs/medusa/core-flows"

export type RefundBundleComponentPaymentStepInput = { refund_id: string; order_id: string; amount: string; created_by?: string | null }

type PaymentRow = { id: string; amount: unknown; captured_at: unknown; refunds?: { amount: unknown; note: string | null }[] | null }

/** The note of a component's refund on the payment: how a retry knows it was already made. */
export const bundleRefundNote = (refundId: string) => `Bundle component refunded (${refundId})`

export const refundBundleComponentPaymentStepId = "refund-bundle-component-payment"

/**
 * Gives back a component's share through Medusa's refund workflow (the provider refunds, Medusa records it on the
 * order), from the order's captured payments, once: a refund noted with this claim is not made again. Irreversible:
 * the last money-moving step. Nothing to give back (a zero share) refunds nothing.
 */
export const refundBundleComponentPaymentStep = createStep(
  refundBundleComponentPaymentStepId,
  async (input: RefundBundleComponentPaymentStepInput, { container }) => {
    if (MathBN.lte(input.amount, 0)) return new StepResponse({ refunded: "0" })
    const note = bundleRefundNote(input.refund_id)
    const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
      entity: "order",
      fields: [
        "id",
        "payment_collections.payments.id",
        "payment_collections.payments.amount",
        "payment_collections.payments.captured_at",
        "payment_collections.payments.refunds.amount",
        "payment_collections.payments.refunds.note",
      ],
      filters: { id: input.order_id },
    })
    const payments = ((data[0] as { payment_collections?: { payments?: PaymentRow[] }[] } | undefined)?.payment_collections ?? [])
      .flatMap((pc) => pc.payments ?? [])
      .filter((p) => !!p.captured_at)
    if (payments.some((p) => (p.refunds ?? []).some((r) => r.note === note))) return new StepResponse({ refunded: input.amount })
    const refundable = payments.map((p) => ({
      id: p.id,
      left: MathBN.sub(
        MathBN.convert(p.amount as string),
        (p.refunds ?? []).reduce((sum, r) => MathBN.add(sum, MathBN.convert(r.amount as string)), MathBN.convert(0))
      ),
    }))
    // Checked before any money moves: all of the share or nothing (the claim is then given back).
    const available = refundable.reduce((sum, p) => MathBN.add(sum, MathBN.max(p.left, 0)), MathBN.convert(0))
    if (MathBN.lt(available, input.amount)) {
      throw new MedusaError(
        MedusaError.Types.NOT_ALLOWED,
        `Order ${input.order_id} has ${available.toString()} captured and not refunded: less than the component's share ${input.amount}`
      )
    }
    let left = MathBN.convert(input.amount)
    for (const p of refundable) {
      if (MathBN.lte(left, 0)) break
      if (MathBN.lte(p.left, 0)) continue
      const amount = MathBN.min(p.left, left)
      await refundPaymentWorkflow(container).run({ input: { payment_id: p.id, amount, note, created_by: input.created_by ?? undefined } })
      left = MathBN.sub(left, amount)
    }
    return new StepResponse({ refunded: input.amount })
  }
)
