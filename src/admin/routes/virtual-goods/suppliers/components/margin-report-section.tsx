import { Container } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { formatDate } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SectionHeader } from "../../../../components/section-header"
import { useSupplierReport } from "../../../../hooks/api/suppliers"
import { formatMoney } from "../../payments/lib"
import { reportQuery, type SupplierMarginRow } from "../lib"

const DAYS = 30

/**
 * The suppliers' margin report of the last 30 days, per supplier product, kind and currency: orders and their outcomes,
 * the revenue of succeeded top-ups, what the suppliers charged and the margin — decimal text summed by the database,
 * shown as given.
 */
export const MarginReportSection = () => {
  const { t, i18n } = useTranslation()
  // The period is fixed when the page opens, so the query (and its cache key) stays the same while it is shown.
  const [query] = useState(() => reportQuery(new Date(), DAYS))
  const { data, isLoading, error, refetch } = useSupplierReport(query)
  const rows = data?.rows ?? []
  const money = (value: string, r: SupplierMarginRow) => formatMoney(value, r.currency_code)

  const columns: Column<SupplierMarginRow>[] = [
    { header: t("virtualGoods.suppliers.report.columns.product"), col: "product", cell: (r) => r.name },
    { header: t("virtualGoods.suppliers.report.columns.kind"), col: "kind", cell: (r) => t(`virtualGoods.suppliers.orderKinds.${r.kind}`, { defaultValue: r.kind }) },
    { header: t("virtualGoods.suppliers.report.columns.orders"), align: "right", col: "orders", cell: (r) => r.orders },
    { header: t("virtualGoods.suppliers.report.columns.succeeded"), align: "right", col: "succeeded", cell: (r) => r.succeeded },
    { header: t("virtualGoods.suppliers.report.columns.failed"), align: "right", col: "failed", cell: (r) => r.failed },
    { header: t("virtualGoods.suppliers.report.columns.unknown"), align: "right", col: "unknown", cell: (r) => r.unknown },
    { header: t("virtualGoods.suppliers.report.columns.refunded"), align: "right", col: "refunded", cell: (r) => r.refunded },
    { header: t("virtualGoods.suppliers.report.columns.revenue"), align: "right", col: "revenue", className: "whitespace-nowrap", cell: (r) => money(r.revenue, r) },
    { header: t("virtualGoods.suppliers.report.columns.cost"), align: "right", col: "cost", className: "whitespace-nowrap", cell: (r) => money(r.cost, r) },
    { header: t("virtualGoods.suppliers.report.columns.margin"), align: "right", col: "margin", className: "whitespace-nowrap", cell: (r) => money(r.margin, r) },
  ]

  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("virtualGoods.suppliers.report.title")}
        hint={t("virtualGoods.suppliers.report.subtitle", { days: DAYS, from: formatDate(query.from, i18n.language), to: formatDate(query.to, i18n.language) })}
      />
      <DataTable
        testId="supplier-report"
        columns={columns}
        rows={rows}
        rowKey={(r) => `${r.supplier_product_id}:${r.kind}:${r.currency_code ?? ""}`}
        rowProps={(r) => ({ "data-product": r.supplier_product_id, "data-kind": r.kind })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !rows.length && t("virtualGoods.suppliers.report.empty", { days: DAYS })}
        emptyCentered
      />
    </Container>
  )
}
