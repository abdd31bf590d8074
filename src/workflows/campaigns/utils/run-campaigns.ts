import type { MedusaContainer } from "@medusajs/framework/types"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { issueCampaignCodeWorkflow } from "../workflows/issue-campaign-code"
import { codeCampaignsModule } from "./code-campaigns-module"

/**
 * Runs every active campaign of `trigger` for one customer (each gives at most one code per customer; see
 * `issueCampaignCodeWorkflow`). A campaign that cannot give (its pool empty) is logged and the others still run.
 * Answers what each campaign did.
 */
export async function runCampaignsFor(
  container: MedusaContainer,
  trigger: "customer.created" | "order.placed",
  customer: { id: string; email: string | null; locale?: string | null }
): Promise<{ campaign_id: string; granted: boolean; reason: string | null }[]> {
  const campaigns = await codeCampaignsModule(container).listCodeCampaigns({ trigger, status: "active" }, { select: ["id"] })
  const out: { campaign_id: string; granted: boolean; reason: string | null }[] = []
  for (const campaign of campaigns) {
    try {
      const { result } = await issueCampaignCodeWorkflow(container).run({
        input: { campaign_id: campaign.id, customer_id: customer.id, email: customer.email, locale: customer.locale ?? null },
      })
      out.push({ campaign_id: campaign.id, granted: result.granted, reason: result.reason })
    } catch (e) {
      container
        .resolve(ContainerRegistrationKeys.LOGGER)
        .warn(`virtual-goods: campaign ${campaign.id} could not give customer ${customer.id} a code: ${e instanceof Error ? e.message : String(e)}`)
      out.push({ campaign_id: campaign.id, granted: false, reason: "failed" })
    }
  }
  return out
}
