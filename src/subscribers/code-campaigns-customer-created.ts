import { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import { ContainerRegistrationKeys } from "@medusajs/framework/utils"
import { runCampaignsFor } from "../workflows/campaigns"

type CustomerRow = { id: string; email: string | null; has_account: boolean }

/** A new customer account (拉新): every active `customer.created` campaign gives it a code, once. */
export default async function codeCampaignsCustomerCreated({ event, container }: SubscriberArgs<{ id: string }>) {
  const { data } = await container.resolve(ContainerRegistrationKeys.QUERY).graph({
    entity: "customer",
    fields: ["id", "email", "has_account"],
    filters: { id: event.data.id },
  })
  const customer = (data as CustomerRow[])[0]
  // A guest's customer record (made at checkout without an account) is not a registration.
  if (!customer?.has_account) return
  await runCampaignsFor(container, "customer.created", { id: customer.id, email: customer.email })
}

export const config: SubscriberConfig = {
  event: "customer.created",
  context: { subscriberId: "code-campaigns-customer-created" },
}
