import { Button, Container, Text } from "@medusajs/ui"
import { FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link, useSearchParams } from "react-router-dom"
import { formatDate, linkClass } from "../../../../components/common"
import { DataTable, type Column } from "../../../../components/data-table"
import { InputField, SelectField } from "../../../../components/fields"
import { SectionHeader } from "../../../../components/section-header"
import { usePaymentFindings } from "../../../../hooks/api/payments"
import { PAGE_SIZE } from "../../../../lib/utils"
import { FINDING_KINDS, FINDING_STATUSES, type Finding, type FindingFilters } from "../../../../types"
import { findingsQuery, formatMoney } from "../lib"
import { FindingKindLabel, FindingStatusBadge } from "./finding-badges"
import { ResolveDrawer } from "./resolve-drawer"

const ALL = "all"

/** The filters in the address: `status` (absent: open; `all`: every status), `kind`, `order_id`. */
const readFilters = (params: URLSearchParams): FindingFilters => {
  const status = params.get("status")
  const kind = params.get("kind")
  return {
    status: status === ALL ? "" : (FINDING_STATUSES.find((s) => s === status) ?? "open"),
    kind: FINDING_KINDS.find((k) => k === kind) ?? "",
    order_id: params.get("order_id") ?? "",
  }
}

/** What the reconciliation found, filtered by status (open by default), kind and order; resolve one with a note. */
export const FindingsSection = () => {
  const { t, i18n } = useTranslation()
  const [params, setParams] = useSearchParams()
  const filters = readFilters(params)
  const [offset, setOffset] = useState(0)
  const [orderDraft, setOrderDraft] = useState(filters.order_id)
  useEffect(() => setOrderDraft(filters.order_id), [filters.order_id])
  const { data, isLoading, error, refetch } = usePaymentFindings(findingsQuery(filters, offset, PAGE_SIZE))
  const [resolving, setResolving] = useState<Finding | null>(null)
  const findings = data?.findings ?? []

  const setFilter = (name: keyof FindingFilters, value: string, fallback: string) => {
    setOffset(0)
    setParams(
      (p) => {
        const next = new URLSearchParams(p)
        if (value && value !== fallback) next.set(name, value)
        else next.delete(name)
        return next
      },
      { replace: true }
    )
  }
  const applyOrder = (e: FormEvent) => {
    e.preventDefault()
    setFilter("order_id", orderDraft.trim(), "")
  }
  const filtered = filters.kind || filters.order_id || filters.status !== "open"

  const columns: Column<Finding>[] = [
    { header: t("virtualGoods.payments.columns.created"), className: "whitespace-nowrap", cell: (f) => formatDate(f.created_at, i18n.language) },
    { header: t("virtualGoods.payments.columns.kind"), cell: (f) => <FindingKindLabel kind={f.kind} /> },
    {
      header: t("virtualGoods.payments.columns.status"),
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
    { header: t("virtualGoods.payments.columns.amount"), align: "right", col: "amount", className: "whitespace-nowrap", cell: (f) => formatMoney(f.amount, f.currency_code) },
    { header: t("virtualGoods.payments.columns.paymentIntent"), col: "payment-intent", className: "font-mono text-xs", cell: (f) => f.payment_intent_id },
    {
      header: t("virtualGoods.payments.columns.order"),
      col: "order",
      cell: (f) =>
        f.order_id ? (
          <Link className={linkClass} to={`/orders/${f.order_id}`}>
            {f.order_id}
          </Link>
        ) : (
          "—"
        ),
    },
    { header: t("virtualGoods.payments.columns.cart"), col: "cart", className: "font-mono text-xs", cell: (f) => f.cart_id ?? "—" },
    { header: t("virtualGoods.payments.columns.detail"), col: "detail", cell: (f) => f.detail },
    {
      header: t("virtualGoods.payments.columns.dispute"),
      col: "dispute",
      cell: (f) => (f.dispute_status ? t(`virtualGoods.payments.disputeStatus.${f.dispute_status}`, { defaultValue: f.dispute_status }) : "—"),
    },
    {
      cell: (f) =>
        f.status === "open" && (
          <Button size="small" variant="secondary" onClick={() => setResolving(f)}>
            {t("virtualGoods.payments.resolve")}
          </Button>
        ),
    },
  ]

  return (
    <Container className="divide-y p-0">
      <SectionHeader title={t("virtualGoods.payments.findingsTitle")} hint={t("virtualGoods.payments.findingsSubtitle")} />
      <form className="grid grid-cols-1 gap-3 px-6 py-4 md:grid-cols-4" onSubmit={applyOrder}>
        <SelectField
          className="flex flex-col gap-y-1"
          labelSize="xsmall"
          label={t("virtualGoods.payments.filters.status")}
          value={filters.status || ALL}
          onChange={(v) => setFilter("status", v, "open")}
          options={[
            ...FINDING_STATUSES.map((s) => ({ value: s, label: t(`virtualGoods.payments.findingStatus.${s}`) })),
            { value: ALL, label: t("virtualGoods.payments.filters.allStatuses") },
          ]}
        />
        <SelectField
          className="flex flex-col gap-y-1"
          labelSize="xsmall"
          label={t("virtualGoods.payments.filters.kind")}
          value={filters.kind || ALL}
          onChange={(v) => setFilter("kind", v, ALL)}
          options={[
            { value: ALL, label: t("virtualGoods.payments.filters.allKinds") },
            ...FINDING_KINDS.map((k) => ({ value: k, label: t(`virtualGoods.payments.kinds.${k}`) })),
          ]}
        />
        <InputField
          id="vg-payments-order"
          className="flex flex-col gap-y-1"
          labelSize="xsmall"
          label={t("virtualGoods.payments.filters.order")}
          size="small"
          value={orderDraft}
          onChange={(e) => setOrderDraft(e.target.value)}
        />
        <div className="flex items-end gap-2">
          <Button size="small" type="submit">
            {t("virtualGoods.payments.filters.apply")}
          </Button>
          <Button
            size="small"
            variant="transparent"
            type="button"
            onClick={() => {
              setOffset(0)
              setOrderDraft("")
              setParams(
                (p) => {
                  const next = new URLSearchParams(p)
                  for (const name of ["status", "kind", "order_id"]) next.delete(name)
                  return next
                },
                { replace: true }
              )
            }}
          >
            {t("virtualGoods.payments.filters.reset")}
          </Button>
        </div>
      </form>
      <DataTable
        testId="payment-findings"
        columns={columns}
        rows={findings}
        rowKey={(f) => f.id}
        rowProps={(f) => ({ "data-finding": f.id, "data-kind": f.kind })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !findings.length && (filtered ? t("virtualGoods.payments.noMatch") : t("virtualGoods.payments.noOpenFindings"))}
        emptyCentered
        pagination={{ offset, count: data?.count ?? 0, onChange: setOffset }}
      />
      {resolving && <ResolveDrawer finding={resolving} onClose={() => setResolving(null)} />}
    </Container>
  )
}
