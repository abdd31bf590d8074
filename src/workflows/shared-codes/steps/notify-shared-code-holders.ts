import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { VIRTUAL_GOODS_SHARED_CODE_WITHDRAWN_TEMPLATE } from "../../../utils/notification-templates"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type NotifySharedCodeHoldersStepInput = {
  shared_code_id: string
  reason: string
  holders: { order_id: string; code_ids: string[] }[]
}

export const notifySharedCodeHoldersStepId = "notify-shared-code-holders"

type OrderRow = { id: string; email: string | null; display_id: number | null; locale?: string | null }

/**
 * Tells every order that holds a sold copy of a withdrawn shared code: one email per order (masks only, no link),
 * keyed by the shared code and the order so a retry sends nothing new. Holders that are not Medusa orders (a reseller's
 * order answered before its bookkeeping) and orders without an email are left to the event. Irreversible: the
 * workflow's last step.
 */
export const notifySharedCodeHoldersStep = createStep(
  notifySharedCodeHoldersStepId,
  async (input: NotifySharedCodeHoldersStepInput, { container }) => {
    if (!input.holders.length) return new StepResponse({ notified: 0 })
    const query = container.resolve(ContainerRegistrationKeys.QUERY)
    const { data } = await query.graph({
      entity: "order",
      fields: ["id", "email", "display_id", "locale"],
      filters: { id: input.holders.map((h) => h.order_id) },
    })
    const orders = (data as OrderRow[]).filter((o) => !!o.email)
    if (!orders.length) return new StepResponse({ notified: 0 })
    const codes = await cardVaultModule(container).listCardCodes(
      { id: input.holders.flatMap((h) => h.code_ids) },
      { select: ["id", "mask", "order_id"], order: { id: "ASC" } }
    )
    const notifications = orders.map((o) => ({
      to: o.email!,
      channel: "email",
      template: VIRTUAL_GOODS_SHARED_CODE_WITHDRAWN_TEMPLATE,
      idempotency_key: `virtual-goods-shared-code-withdrawn:${input.shared_code_id}:${o.id}`,
      resource_id: o.id,
      resource_type: "order",
      data: {
        order_id: o.id,
        display_id: o.display_id,
        locale: o.locale ?? null,
        reason: input.reason,
        codes: codes.filter((c) => c.order_id === o.id).map((c) => ({ id: c.id, mask: c.mask })),
      },
    }))
    await container.resolve(Modules.NOTIFICATION).createNotifications(notifications)
    return new StepResponse({ notified: notifications.length })
  }
)
