import { Button, Container } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useSupplierOrders } from "../../../../hooks/api/suppliers"
import { PAGE_SIZE } from "../../../../lib/utils"
import { formatMoney } from "../../payments/lib"
import { SUPPLIER_ORDER_STATUSES, supplierOrdersQuery, type SupplierOrder, type SupplierOrderStatus } from "../lib"
import { OrderStatusBadge } from "./badges"

const ALL = "all"

/** Orders placed with suppliers (top-ups, restocks), newest first, filtered by status; a row opens its detail. */
export const SupplierOrdersSection = ({ onOpen }: { onOpen: (id: string) => void }) => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState<SupplierOrderStatus | "">("")
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error, refetch } = useSupplierOrders(supplierOrdersQuery(status, offset, PAGE_SIZE))
  const orders = data?.supplier_orders ?? []

  const columns: Column<SupplierOrder>[] = [
    { header: t("virtualGoods.suppliers.orders.columns.id"), col: "id", className: "font-mono text-xs", cell: (o) => o.id },
    { header: t("virtualGoods.suppliers.orders.columns.kind"), col: "kind", cell: (o) => t(`virtualGoods.suppliers.orderKinds.${o.kind}`, { defaultValue: o.kind }) },
    { header: t("virtualGoods.suppliers.orders.columns.status"), cell: (o) => <OrderStatusBadge status={o.status} /> },
    { header: t("virtualGoods.suppliers.orders.columns.recipient"), col: "recipient", className: "font-mono text-xs", cell: (o) => o.recipient_masked ?? "—" },
    { header: t("virtualGoods.suppliers.orders.columns.product"), col: "product", className: "font-mono text-xs", cell: (o) => o.upstream_product_id },
    { header: t("virtualGoods.suppliers.orders.columns.quantity"), align: "right", col: "quantity", cell: (o) => o.quantity },
    { header: t("virtualGoods.suppliers.orders.columns.amount"), align: "right", col: "amount", className: "whitespace-nowrap", cell: (o) => formatMoney(o.amount, o.currency_code) },
    { header: t("virtualGoods.suppliers.orders.columns.cost"), align: "right", col: "cost", className: "whitespace-nowrap", cell: (o) => formatMoney(o.cost, o.currency_code) },
    { header: t("virtualGoods.suppliers.orders.columns.attempts"), align: "right", col: "attempts", cell: (o) => o.attempts },
    {
      header: t("virtualGoods.suppliers.orders.columns.refund"),
      col: "refund",
      cell: (o) => t(`virtualGoods.suppliers.refundStatus.${o.refund_status}`, { defaultValue: o.refund_status }),
    },
    { header: t("virtualGoods.suppliers.orders.columns.created"), className: "whitespace-nowrap", cell: (o) => formatDate(o.created_at, i18n.language) },
    {
      cell: (o) => (
        <Button size="small" variant="secondary" onClick={() => onOpen(o.id)}>
          {t("virtualGoods.suppliers.orders.details")}
        </Button>
      ),
    },
  ]

  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("virtualGoods.suppliers.orders.title")}
        hint={t("virtualGoods.suppliers.orders.subtitle")}
        actions={
          <SelectField
            showLabel={false}
            size="small"
            triggerClassName="w-44"
            label={t("virtualGoods.suppliers.orders.filterStatus")}
            value={status || ALL}
            onChange={(v) => {
              setOffset(0)
              setStatus(SUPPLIER_ORDER_STATUSES.find((s) => s === v) ?? "")
            }}
            options={[
              { value: ALL, label: t("virtualGoods.suppliers.orders.allStatuses") },
              ...SUPPLIER_ORDER_STATUSES.map((s) => ({ value: s, label: t(`virtualGoods.suppliers.orderStatus.${s}`) })),
            ]}
          />
        }
      />
      <DataTable
        testId="supplier-orders"
        columns={columns}
        rows={orders}
        rowKey={(o) => o.id}
        rowProps={(o) => ({ "data-supplier-order": o.id, "data-status": o.status })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !orders.length && (status ? t("virtualGoods.suppliers.orders.noMatch") : t("virtualGoods.suppliers.orders.empty"))}
        emptyCentered
        pagination={{ offset, count: data?.count ?? 0, onChange: setOffset }}
      />
    </Container>
  )
}
