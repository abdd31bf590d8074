import { ContainerRegistrationKeys, Modules } from "@medusajs/framework/utils"
import { createStep, StepResponse } from "@medusajs/framework/workflows-sdk"
import { VIRTUAL_GOODS_CAMPAIGN_GIFT_TEMPLATE } from "../../../utils/notification-templates"
import { cardVaultModule } from "../../virtual-goods/utils/card-vault-module"

export type SendCampaignGiftStepInput = { campaign_id: string; campaign_name: string; grant_id: string; email: string | null; locale?: string | null }

export const sendCampaignGiftStepId = "send-campaign-gift"

/**
 * Tells the customer of their gift: one email (idempotency key per grant) with the code masked and a guest link to
 * reveal it (its token is derived by the notification provider, never stored). Without an email address nothing is
 * sent: the code waits for the customer in their account. A failing provider is logged; the code stays given.
 */
export const sendCampaignGiftStep = createStep(sendCampaignGiftStepId, async (input: SendCampaignGiftStepInput, { container }) => {
  if (!input.email) return new StepResponse({ notification_id: null as string | null })
  const vault = cardVaultModule(container)
  const codes = await vault.listCardCodes({ order_id: input.grant_id }, { select: ["id", "mask"], order: { id: "ASC" } })
  try {
    const link = await vault.createRevealLink({ order_id: input.grant_id })
    const [notification] = await container.resolve(Modules.NOTIFICATION).createNotifications([
      {
        to: input.email,
        channel: "email",
        template: VIRTUAL_GOODS_CAMPAIGN_GIFT_TEMPLATE,
        idempotency_key: `virtual-goods-campaign-gift:${input.grant_id}`,
        resource_id: input.grant_id,
        resource_type: "code_campaign_grant",
        data: {
          campaign_id: input.campaign_id,
          campaign_name: input.campaign_name,
          grant_id: input.grant_id,
          locale: input.locale ?? null,
          reveal_link: link.link,
          reveal_url_expires_at: link.expires_at.toISOString(),
          reveal_url_max_uses: link.max_uses,
          codes: codes.map((c) => ({ id: c.id, mask: c.mask })),
        },
      },
    ])
    return new StepResponse({ notification_id: (notification?.id ?? null) as string | null })
  } catch (e) {
    container.resolve(ContainerRegistrationKeys.LOGGER).warn(`virtual-goods: campaign gift email for grant ${input.grant_id} failed: ${e instanceof Error ? e.message : String(e)}`)
    return new StepResponse({ notification_id: null as string | null })
  }
})
