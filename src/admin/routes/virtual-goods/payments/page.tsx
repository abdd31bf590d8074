import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Tabs, Text, toast } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { useSearchParams } from "react-router-dom"
import { SectionHeader } from "../../../components/section-header"
import { useReconcilePayments } from "../../../hooks/api/payments"
import { errorMessage } from "../../../lib/utils"
import { EventsSection } from "./components/events-section"
import { FindingsSection } from "./components/findings-section"
import { PaymentSummary } from "./components/payment-summary"

const TABS = ["findings", "events"] as const
type Tab = (typeof TABS)[number]

/**
 * Payments by Stripe reconciled with orders: counters of what needs a look, the findings (filter, resolve with a
 * note), the webhook events as received and handled, and a button that reconciles now. The tab and the findings'
 * filters are in the address (`?tab=events`, `?order_id=…` from an order's page).
 */
const PaymentsPage = () => {
  const { t } = useTranslation()
  const [params, setParams] = useSearchParams()
  const tab: Tab = TABS.find((x) => x === params.get("tab")) ?? "findings"
  const reconcile = useReconcilePayments()
  const run = () =>
    reconcile.mutate(undefined, {
      onSuccess: ({ result }) => toast.success(t("virtualGoods.payments.reconciled", { ...result })),
      onError: (e) => toast.error(errorMessage(e)),
    })
  const setTab = (value: string) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p)
        if (value === "events") next.set("tab", "events")
        else next.delete("tab")
        return next
      },
      { replace: true }
    )

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <SectionHeader
          level="h1"
          title={t("virtualGoods.payments.title")}
          hint={t("virtualGoods.payments.subtitle")}
          actions={
            <Button size="small" variant="secondary" isLoading={reconcile.isPending} onClick={run}>
              {t("virtualGoods.payments.reconcile")}
            </Button>
          }
        />
        <PaymentSummary />
      </Container>
      <Tabs value={tab} onValueChange={setTab}>
        <Tabs.List className="mb-3">
          <Tabs.Trigger value="findings">{t("virtualGoods.payments.tabs.findings")}</Tabs.Trigger>
          <Tabs.Trigger value="events">{t("virtualGoods.payments.tabs.events")}</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="findings">
          <FindingsSection />
        </Tabs.Content>
        <Tabs.Content value="events">
          <EventsSection />
        </Tabs.Content>
      </Tabs>
      <Text size="small" className="px-1 text-ui-fg-subtle">
        {t("virtualGoods.payments.footnote")}
      </Text>
    </div>
  )
}

export const config = defineRouteConfig({ label: "virtualGoods.payments.menu", translationNs: "translation" })

export default PaymentsPage
