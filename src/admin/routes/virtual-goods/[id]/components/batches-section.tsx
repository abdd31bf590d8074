import { Container } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { StatusBadge, formatDate, formatNumber } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SectionHeader } from "../../../../components/section-header"
import { batchReportUrl, useBatches } from "../../../../hooks/api/batches"
import type { Batch } from "../../../../types"

/** The pool's batches (imports and generations): source, status, counts, sales and cost, the rejected-lines report. */
export const BatchesSection = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const { data, isLoading, error, refetch } = useBatches(poolId)
  const n = (v: number | null | undefined) => formatNumber(v, i18n.language)
  const columns: Column<Batch>[] = [
    { header: t("virtualGoods.batches.columns.created"), cell: (b) => formatDate(b.created_at, i18n.language) },
    {
      header: t("virtualGoods.batches.columns.source"),
      cell: (b) => (
        <>
          {t(`virtualGoods.batches.source.${b.source}`, { defaultValue: b.source })}
          {b.file_name ? ` · ${b.file_name}` : ""}
        </>
      ),
    },
    { header: t("virtualGoods.batches.columns.supplier"), cell: (b) => b.supplier ?? "—" },
    { header: t("virtualGoods.batches.columns.status"), cell: (b) => <StatusBadge status={b.status} /> },
    { header: t("virtualGoods.batches.columns.codes"), align: "right", col: "codes", cell: (b) => n(b.code_count) },
    { header: t("virtualGoods.batches.columns.rejected"), align: "right", col: "rejected", cell: (b) => n(b.rejected_count) },
    { header: t("virtualGoods.batches.columns.sold"), align: "right", col: "sold", cell: (b) => n(b.report?.sold) },
    { header: t("virtualGoods.batches.columns.invalid"), align: "right", col: "invalid", cell: (b) => n(b.report?.invalid) },
    {
      header: t("virtualGoods.batches.columns.cost"),
      align: "right",
      cell: (b) => (b.report?.cost_total ? `${b.report.cost_total} ${(b.currency_code ?? "").toUpperCase()}` : "—"),
    },
    { header: t("virtualGoods.batches.columns.expires"), cell: (b) => formatDate(b.expires_at, i18n.language) },
    {
      cell: (b) =>
        b.rejected_count > 0 && (
          <a className="txt-small text-ui-fg-interactive hover:underline" href={batchReportUrl(b.id)} download>
            {t("virtualGoods.batches.report")}
          </a>
        ),
    },
  ]
  return (
    <Container className="divide-y p-0">
      <SectionHeader title={t("virtualGoods.batches.title")} />
      <DataTable
        columns={columns}
        rows={data?.card_batches ?? []}
        rowKey={(b) => b.id}
        rowProps={(b) => ({ "data-batch": b.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !data.card_batches.length && t("virtualGoods.batches.empty")}
      />
    </Container>
  )
}
