import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import type { FilterableNotificationProps, NotificationDTO } from "@medusajs/framework/types"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { errorMessage } from "../../../utils/errors"
import { VIRTUAL_GOODS_DELIVERED_TEMPLATE } from "../../../utils/notification-templates"
import { cardVaultModule } from "../utils/card-vault-module"

export type SendDeliveryNotificationStepInput = {
  order_id: string
  display_id: number | null
  email: string | null
  /** Set when a code of the order was reissued: the notification is sent again, once per reissued code. */
  reissued_code_id?: string | null
  /** Set when an admin asked to send the notification again: it is sent once per such request. */
  resend_id?: string | null
  /**
   * Set when a guest asked for a fresh link by order lookup: the time window of the request. One such notification
   * per order and window, so repeated lookups cannot flood the shopper's mailbox.
   */
  lookup_window?: string | null
}

export const sendDeliveryNotificationStepId = "send-delivery-notification"

/**
 * Sends the "your codes are ready" notification once per order, through Medusa's notification module, with a
 * fresh guest reveal link and the masks of the codes — never a code, nor the link's token: the data carries the
 * link's id and URL template (`reveal_link`), from which the notification provider renders the working link in memory
 * with the link key (`revealUrlOf`), so Medusa's `notification` table holds nothing that opens it. The order's
 * `locale` travels along for the provider's choice of language. Idempotent by the notification's
 * idempotency key, so re-running delivery does not send again. An order whose codes came in two rounds (a line bought from
 * a supplier at delivery) gets a notification per round: the first under the order's key, a later one keyed by how many
 * codes the order then holds, only when that differs from what the first one listed. An order without codes yet is not
 * told anything. It is the last step of delivery (irreversible);
 * a failure to send does not undo the delivery: it is logged and the customer still finds the codes in their
 * account.
 */
export const sendDeliveryNotificationStep = createStep(
  sendDeliveryNotificationStepId,
  async (input: SendDeliveryNotificationStepInput, { container }) => {
    if (!input.email) return new StepResponse({ notification_id: null as string | null, sent: false })
    const notifications = container.resolve(Modules.NOTIFICATION)
    const vault = cardVaultModule(container)
    const logger = container.resolve(ContainerRegistrationKeys.LOGGER)
    const deliveredKey = `virtual-goods-delivered:${input.order_id}`
    let idempotencyKey = input.reissued_code_id
      ? `virtual-goods-reissued:${input.reissued_code_id}`
      : input.resend_id
        ? `virtual-goods-resent:${input.resend_id}`
        : input.lookup_window
          ? `virtual-goods-lookup:${input.order_id}:${input.lookup_window}`
          : deliveredKey
    // The notification module filters by any of its columns; its filter type does not list idempotency_key.
    const sent = async (key: string) => {
      const sameKey: FilterableNotificationProps & { idempotency_key: string } = { idempotency_key: key }
      return (await notifications.listNotifications(sameKey, { take: 1 })).find((n: NotificationDTO) => n.status !== "failure")
    }
    let existing = await sent(idempotencyKey)
    const codes = await vault.listCardCodes(
      { order_id: input.order_id, status: ["delivered", "revealed"] },
      { select: ["id", "mask", "line_item_id"], order: { id: "ASC" } }
    )
    if (idempotencyKey === deliveredKey && existing) {
      // A later round of codes (bought for a line at delivery) is told once more, keyed by the order's new count.
      const listed = (existing.data as { codes?: unknown[] } | null)?.codes?.length ?? 0
      if (codes.length > listed) {
        idempotencyKey = `${deliveredKey}:${codes.length}`
        existing = await sent(idempotencyKey)
      }
    }
    if (existing) {
      return new StepResponse({ notification_id: existing.id as string | null, sent: false })
    }
    if (!codes.length) return new StepResponse({ notification_id: null as string | null, sent: false })
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data: orders } = await query.graph({ entity: "order", fields: ["id", "locale"], filters: { id: input.order_id } })
    const locale = (orders[0] as { locale?: string | null } | undefined)?.locale ?? null
    try {
      const link = await vault.createRevealLink({ order_id: input.order_id })
      const [notification] = await notifications.createNotifications([
        {
          to: input.email,
          channel: "email",
          template: VIRTUAL_GOODS_DELIVERED_TEMPLATE,
          idempotency_key: idempotencyKey,
          resource_id: input.order_id,
          resource_type: "order",
          data: {
            order_id: input.order_id,
            display_id: input.display_id,
            locale,
            reveal_link: link.link,
            reveal_url_expires_at: link.expires_at.toISOString(),
            reveal_url_max_uses: link.max_uses,
            codes: codes.map((c) => ({ id: c.id, mask: c.mask })),
            ...(input.reissued_code_id ? { reissued_code_id: input.reissued_code_id } : {}),
            ...(input.resend_id ? { resent: true } : {}),
            ...(input.lookup_window ? { lookup: true } : {}),
          },
        },
      ])
      return new StepResponse({ notification_id: (notification?.id ?? null) as string | null, sent: true })
    } catch (e: unknown) {
      logger.warn(`virtual-goods: delivery notification for order ${input.order_id} failed: ${errorMessage(e)}`)
      return new StepResponse({ notification_id: null as string | null, sent: false })
    }
  }
)
