import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Container, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { SectionHeader } from "../../../components/section-header"
import { CreateSupplierDrawer } from "./components/create-supplier-drawer"
import { FindingsSection } from "./components/findings-section"
import { MarginReportSection } from "./components/margin-report-section"
import { SupplierOrderDrawer } from "./components/supplier-order-drawer"
import { SupplierOrdersSection } from "./components/supplier-orders-section"
import { SuppliersSection } from "./components/suppliers-section"

/**
 * The suppliers behind direct top-ups and restocks: each supplier's health and balance (check or reconcile now, enable
 * or disable, add one), the orders placed with them (a drawer with every exchange and the admins' decisions), what
 * reconciliation found, and the margin of the last 30 days.
 */
const SuppliersPage = () => {
  const { t } = useTranslation()
  const [orderId, setOrderId] = useState<string | null>(null)
  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <SectionHeader level="h1" title={t("virtualGoods.suppliers.title")} hint={t("virtualGoods.suppliers.subtitle")} actions={<CreateSupplierDrawer />} />
        <SuppliersSection />
      </Container>
      <SupplierOrdersSection onOpen={setOrderId} />
      <FindingsSection onOpenOrder={setOrderId} />
      <MarginReportSection />
      <Text size="small" className="px-1 text-ui-fg-subtle">
        {t("virtualGoods.suppliers.footnote")}
      </Text>
      {orderId && <SupplierOrderDrawer key={orderId} id={orderId} onClose={() => setOrderId(null)} />}
    </div>
  )
}

export const config = defineRouteConfig({ label: "virtualGoods.suppliers.menu", translationNs: "translation" })

export default SuppliersPage
