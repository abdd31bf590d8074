import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container } from "@medusajs/ui"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { formatDate, linkClass } from "../../../components/common"
import { DataTable, type Column } from "../../../components/data-table"
import { InputField, SelectField } from "../../../components/fields"
import { SectionHeader } from "../../../components/section-header"
import { useAuditLogs } from "../../../hooks/api/audit-logs"
import { usePools } from "../../../hooks/api/pools"
import type { AuditEntry, AuditFilters } from "../../../types"
import { IntegritySection } from "./components/integrity-section"

const ACTIONS = [
  "reserve",
  "release",
  "deliver",
  "undeliver",
  "reveal",
  "refund",
  "expire",
  "hold",
  "import",
  "import_reverted",
  "reissue",
  "reissue_reverted",
  "resend",
  "resend_canceled",
  "key_rotation",
  "risk_hold",
  "risk_approve",
  "risk_reject",
  "copy",
  "withdraw",
  "pick",
  "unpick",
] as const

const EMPTY: AuditFilters = { action: "", actor_id: "", pool_id: "", order_id: "", from: "", to: "" }

/**
 * The vault's append-only audit log with filters by action, actor, pool, order and time, and its integrity (hash chains
 * and signed checkpoints).
 */
const AuditLogPage = () => {
  const { t, i18n } = useTranslation()
  const [draft, setDraft] = useState<AuditFilters>(EMPTY)
  const [filters, setFilters] = useState<AuditFilters>(EMPTY)
  const [offset, setOffset] = useState(0)
  const { data: pools } = usePools("")
  const poolName = new Map((pools?.card_pools ?? []).map((p) => [p.id, p.name]))
  const { data, isLoading, error, refetch } = useAuditLogs(filters, offset)
  const apply = (e: FormEvent) => {
    e.preventDefault()
    setOffset(0)
    setFilters(draft)
  }
  const set = (k: keyof AuditFilters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }))
  const options = (all: string, values: { value: string; label: string }[]) => [{ value: "all", label: all }, ...values]
  const columns: Column<AuditEntry>[] = [
    { header: t("virtualGoods.audit.columns.time"), cell: (e) => formatDate(e.created_at, i18n.language) },
    { header: t("virtualGoods.audit.columns.action"), cell: (e) => t(`virtualGoods.audit.actions.${e.action}`, { defaultValue: e.action }) },
    {
      header: t("virtualGoods.audit.columns.actor"),
      cell: (e) => (
        <>
          {e.actor_type}
          {e.actor_id ? ` · ${e.actor_id}` : ""}
        </>
      ),
    },
    {
      header: t("virtualGoods.audit.columns.pool"),
      cell: (e) =>
        e.pool_id ? (
          <Link className={linkClass} to={`/virtual-goods/${e.pool_id}`}>
            {poolName.get(e.pool_id) ?? e.pool_id}
          </Link>
        ) : (
          "—"
        ),
    },
    {
      header: t("virtualGoods.audit.columns.order"),
      cell: (e) =>
        e.order_id ? (
          <Link className={linkClass} to={`/orders/${e.order_id}`}>
            {e.order_id}
          </Link>
        ) : (
          "—"
        ),
    },
    { header: t("virtualGoods.audit.columns.codes"), align: "right", cell: (e) => e.code_count },
    { header: t("virtualGoods.audit.columns.reason"), col: "reason", cell: (e) => e.reason ?? "—" },
  ]

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <SectionHeader level="h1" title={t("virtualGoods.audit.title")} hint={t("virtualGoods.audit.subtitle")} />
        <form className="grid grid-cols-2 gap-3 px-6 py-4 md:grid-cols-4 lg:grid-cols-7" onSubmit={apply}>
          <SelectField
            className="flex flex-col gap-y-1"
            labelSize="xsmall"
            label={t("virtualGoods.audit.action")}
            value={draft.action || "all"}
            onChange={(v) => set("action")(v === "all" ? "" : v)}
            options={options(
              t("virtualGoods.audit.allActions"),
              ACTIONS.map((a) => ({ value: a, label: t(`virtualGoods.audit.actions.${a}`) }))
            )}
          />
          <SelectField
            className="flex flex-col gap-y-1"
            labelSize="xsmall"
            label={t("virtualGoods.audit.pool")}
            value={draft.pool_id || "all"}
            onChange={(v) => set("pool_id")(v === "all" ? "" : v)}
            options={options(
              t("virtualGoods.audit.allPools"),
              (pools?.card_pools ?? []).map((p) => ({ value: p.id, label: p.name }))
            )}
          />
          {(
            [
              ["actor_id", "vg-audit-actor", "actor", "text"],
              ["order_id", "vg-audit-order", "order", "text"],
              ["from", "vg-audit-from", "from", "date"],
              ["to", "vg-audit-to", "to", "date"],
            ] as const
          ).map(([field, id, label, type]) => (
            <InputField
              key={field}
              id={id}
              className="flex flex-col gap-y-1"
              labelSize="xsmall"
              label={t(`virtualGoods.audit.${label}`)}
              size="small"
              type={type === "date" ? "date" : undefined}
              value={draft[field]}
              onChange={(e) => set(field)(e.target.value)}
            />
          ))}
          <div className="flex items-end gap-2">
            <Button size="small" type="submit">
              {t("virtualGoods.audit.apply")}
            </Button>
            <Button
              size="small"
              variant="transparent"
              type="button"
              onClick={() => {
                setDraft(EMPTY)
                setFilters(EMPTY)
                setOffset(0)
              }}
            >
              {t("virtualGoods.audit.reset")}
            </Button>
          </div>
        </form>
        <DataTable
          testId="audit-table"
          columns={columns}
          rows={data?.card_audit_logs ?? []}
          rowKey={(e) => e.id}
          rowProps={(e) => ({ "data-entry": e.id, "data-action": e.action })}
          isLoading={isLoading}
          error={error}
          onRetry={() => refetch()}
          empty={data && !data.card_audit_logs.length && t("virtualGoods.audit.empty")}
          emptyCentered
          pagination={{ offset, count: data?.count ?? 0, onChange: setOffset }}
        />
      </Container>
      <IntegritySection />
    </div>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.audit.menu",
  translationNs: "translation",
})

export default AuditLogPage
