import type { FilterableNotificationProps } from "@medusajs/framework/types"
import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { VIRTUAL_GOODS_REJECTED_TEMPLATE } from "../../../utils/notification-templates"

export const sendRejectionNotificationStepId = "send-rejection-notification"

/** Tells the customer their order was refused and refunded (once per order). A failure to send is logged only. */
export const sendRejectionNotificationStep = createStep(
  sendRejectionNotificationStepId,
  async (input: { order_id: string }, { container }) => {
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({ entity: "order", fields: ["id", "email", "display_id", "locale"], filters: { id: input.order_id } })
    const order = data[0] as { email?: string | null; display_id?: number | null; locale?: string | null } | undefined
    if (!order?.email) return new StepResponse({ sent: false })
    const notifications = container.resolve(Modules.NOTIFICATION)
    const idempotencyKey = `virtual-goods-rejected:${input.order_id}`
    const [existing] = await notifications.listNotifications({ idempotency_key: idempotencyKey } as FilterableNotificationProps, { take: 1 })
    if (existing) return new StepResponse({ sent: false })
    try {
      await notifications.createNotifications([
        {
          to: order.email,
          channel: "email",
          template: VIRTUAL_GOODS_REJECTED_TEMPLATE,
          idempotency_key: idempotencyKey,
          resource_id: input.order_id,
          resource_type: "order",
          data: { order_id: input.order_id, display_id: order.display_id ?? null, locale: order.locale ?? null },
        },
      ])
    } catch (e: unknown) {
      container.resolve(ContainerRegistrationKeys.LOGGER).warn(`virtual-goods: rejection notice for order ${input.order_id} not sent: ${(e as Error | null)?.message ?? e}`)
      return new StepResponse({ sent: false })
    }
    return new StepResponse({ sent: true })
  }
)
