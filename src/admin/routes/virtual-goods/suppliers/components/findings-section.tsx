import { Button, Container, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { formatDate, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { useSupplierFindings, useSuppliers } from "../../../../hooks/api/suppliers"
import { PAGE_SIZE } from "../../../../lib/utils"
import { SUPPLIER_FINDING_STATUSES, supplierFindingsQuery, type SupplierFinding, type SupplierFindingStatus } from "../lib"
import { FindingKindLabel, FindingStatusBadge } from "./badges"
import { ResolveFindingDrawer } from "./resolve-finding-drawer"

const ALL = "all"

/**
 * What reconciliation and the alerts found about suppliers (open ones by default): kind, supplier, the order concerned
 * (opens its detail), what was found, when; resolve one with what was done.
 */
export const FindingsSection = ({ onOpenOrder }: { onOpenOrder: (id: string) => void }) => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState<SupplierFindingStatus | "">("open")
  const [offset, setOffset] = useState(0)
  const { data, isLoading, error, refetch } = useSupplierFindings(supplierFindingsQuery(status, offset, PAGE_SIZE))
  const suppliers = useSuppliers().data?.suppliers ?? []
  const [resolving, setResolving] = useState<SupplierFinding | null>(null)
  const findings = data?.supplier_findings ?? []
  const supplierName = (id: string) => suppliers.find((s) => s.id === id)?.name ?? id

  const columns: Column<SupplierFinding>[] = [
    { header: t("virtualGoods.suppliers.findings.columns.kind"), cell: (f) => <FindingKindLabel kind={f.kind} /> },
    { header: t("virtualGoods.suppliers.findings.columns.supplier"), col: "supplier", cell: (f) => supplierName(f.supplier_id) },
    {
      header: t("virtualGoods.suppliers.findings.columns.order"),
      col: "order",
      cell: (f) =>
        f.supplier_order_id ? (
          <button type="button" className={`${linkClass} font-mono text-xs`} onClick={() => onOpenOrder(f.supplier_order_id ?? "")}>
            {f.supplier_order_id}
          </button>
        ) : (
          "—"
        ),
    },
    { header: t("virtualGoods.suppliers.findings.columns.detail"), col: "detail", className: "break-words", cell: (f) => f.detail },
    {
      header: t("virtualGoods.suppliers.findings.columns.status"),
      col: "status",
      cell: (f) => (
        <div className="flex flex-col gap-y-1">
          <FindingStatusBadge status={f.status} />
          {f.resolution && (
            <Text size="xsmall" className="text-ui-fg-subtle" data-col="resolution">
              {f.resolution}
            </Text>
          )}
        </div>
      ),
    },
    { header: t("virtualGoods.suppliers.findings.columns.created"), className: "whitespace-nowrap", cell: (f) => formatDate(f.created_at, i18n.language) },
    {
      cell: (f) =>
        f.status === "open" && (
          <Button size="small" variant="secondary" onClick={() => setResolving(f)}>
            {t("virtualGoods.suppliers.findings.resolve")}
          </Button>
        ),
    },
  ]

  return (
    <Container className="divide-y p-0">
      <SectionHeader
        title={t("virtualGoods.suppliers.findings.title")}
        hint={t("virtualGoods.suppliers.findings.subtitle")}
        actions={
          <SelectField
            showLabel={false}
            size="small"
            triggerClassName="w-40"
            label={t("virtualGoods.suppliers.findings.filterStatus")}
            value={status || ALL}
            onChange={(v) => {
              setOffset(0)
              setStatus(SUPPLIER_FINDING_STATUSES.find((s) => s === v) ?? "")
            }}
            options={[
              ...SUPPLIER_FINDING_STATUSES.map((s) => ({ value: s, label: t(`virtualGoods.suppliers.findingStatus.${s}`) })),
              { value: ALL, label: t("virtualGoods.suppliers.findings.allStatuses") },
            ]}
          />
        }
      />
      <DataTable
        testId="supplier-findings"
        columns={columns}
        rows={findings}
        rowKey={(f) => f.id}
        rowProps={(f) => ({ "data-finding": f.id, "data-kind": f.kind, "data-status": f.status })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !findings.length && (status === "open" ? t("virtualGoods.suppliers.findings.noOpen") : t("virtualGoods.suppliers.findings.noMatch"))}
        emptyCentered
        pagination={{ offset, count: data?.count ?? 0, onChange: setOffset }}
      />
      {resolving && <ResolveFindingDrawer finding={resolving} supplierName={supplierName(resolving.supplier_id)} onClose={() => setResolving(null)} />}
    </Container>
  )
}
