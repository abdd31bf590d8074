import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Button, Container, Heading, Input, Label, Select, Table, Text } from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { FormEvent, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { LoadError, Loading, Pager, formatDate } from "../../../components/common"
import { PAGE_SIZE, usePools } from "../../../lib/api"
import { sdk } from "../../../lib/sdk"

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
] as const

type Entry = {
  id: string
  action: string
  actor_type: string
  actor_id: string | null
  pool_id: string | null
  order_id: string | null
  code_count: number
  reason: string | null
  created_at: string
}
type Filters = { action: string; actor_id: string; pool_id: string; order_id: string; from: string; to: string }
const EMPTY: Filters = { action: "", actor_id: "", pool_id: "", order_id: "", from: "", to: "" }

/** The vault's append-only audit log with filters by action, actor, pool, order and time. */
const AuditLogPage = () => {
  const { t, i18n } = useTranslation()
  const [draft, setDraft] = useState<Filters>(EMPTY)
  const [filters, setFilters] = useState<Filters>(EMPTY)
  const [offset, setOffset] = useState(0)
  const { data: pools } = usePools("")
  const poolName = new Map((pools?.card_pools ?? []).map((p) => [p.id, p.name]))
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "audit", filters, offset],
    queryFn: () =>
      sdk.client.fetch<{ card_audit_logs: Entry[]; count: number }>("/admin/virtual-goods/audit-logs", {
        query: {
          action: filters.action || undefined,
          actor_id: filters.actor_id.trim() || undefined,
          pool_id: filters.pool_id || undefined,
          order_id: filters.order_id.trim() || undefined,
          // Dates are the admin's local days: from the start of `from` until the end of `to`.
          created_after: filters.from ? new Date(`${filters.from}T00:00:00`).toISOString() : undefined,
          created_before: filters.to ? new Date(new Date(`${filters.to}T00:00:00`).getTime() + 86_400_000).toISOString() : undefined,
          limit: PAGE_SIZE,
          offset,
        },
      }),
    placeholderData: keepPreviousData,
  })
  const apply = (e: FormEvent) => {
    e.preventDefault()
    setOffset(0)
    setFilters(draft)
  }
  const set = (k: keyof Filters) => (v: string) => setDraft((d) => ({ ...d, [k]: v }))
  const count = data?.count ?? 0

  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h1">{t("virtualGoods.audit.title")}</Heading>
        <Text size="small" className="text-ui-fg-subtle">
          {t("virtualGoods.audit.subtitle")}
        </Text>
      </div>
      <form className="grid grid-cols-2 gap-3 px-6 py-4 md:grid-cols-4 lg:grid-cols-7" onSubmit={apply}>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall">{t("virtualGoods.audit.action")}</Label>
          <Select value={draft.action || "all"} onValueChange={(v) => set("action")(v === "all" ? "" : v)}>
            <Select.Trigger aria-label={t("virtualGoods.audit.action")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">{t("virtualGoods.audit.allActions")}</Select.Item>
              {ACTIONS.map((a) => (
                <Select.Item key={a} value={a}>
                  {t(`virtualGoods.audit.actions.${a}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall">{t("virtualGoods.audit.pool")}</Label>
          <Select value={draft.pool_id || "all"} onValueChange={(v) => set("pool_id")(v === "all" ? "" : v)}>
            <Select.Trigger aria-label={t("virtualGoods.audit.pool")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">{t("virtualGoods.audit.allPools")}</Select.Item>
              {(pools?.card_pools ?? []).map((p) => (
                <Select.Item key={p.id} value={p.id}>
                  {p.name}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="vg-audit-actor">{t("virtualGoods.audit.actor")}</Label>
          <Input id="vg-audit-actor" size="small" value={draft.actor_id} onChange={(e) => set("actor_id")(e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="vg-audit-order">{t("virtualGoods.audit.order")}</Label>
          <Input id="vg-audit-order" size="small" value={draft.order_id} onChange={(e) => set("order_id")(e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="vg-audit-from">{t("virtualGoods.audit.from")}</Label>
          <Input id="vg-audit-from" size="small" type="date" value={draft.from} onChange={(e) => set("from")(e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-1">
          <Label size="xsmall" htmlFor="vg-audit-to">{t("virtualGoods.audit.to")}</Label>
          <Input id="vg-audit-to" size="small" type="date" value={draft.to} onChange={(e) => set("to")(e.target.value)} />
        </div>
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
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.card_audit_logs.length && <Text className="px-6 py-8 text-center text-ui-fg-subtle">{t("virtualGoods.audit.empty")}</Text>}
      {data && !!data.card_audit_logs.length && (
        <Table data-testid="audit-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.audit.columns.time")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.audit.columns.action")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.audit.columns.actor")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.audit.columns.pool")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.audit.columns.order")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.audit.columns.codes")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.audit.columns.reason")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.card_audit_logs.map((e) => (
              <Table.Row key={e.id} data-entry={e.id} data-action={e.action}>
                <Table.Cell>{formatDate(e.created_at, i18n.language)}</Table.Cell>
                <Table.Cell>{t(`virtualGoods.audit.actions.${e.action}`, { defaultValue: e.action })}</Table.Cell>
                <Table.Cell>
                  {e.actor_type}
                  {e.actor_id ? ` · ${e.actor_id}` : ""}
                </Table.Cell>
                <Table.Cell>{e.pool_id ? <Link className="text-ui-fg-interactive hover:underline" to={`/virtual-goods/${e.pool_id}`}>{poolName.get(e.pool_id) ?? e.pool_id}</Link> : "—"}</Table.Cell>
                <Table.Cell>{e.order_id ? <Link className="text-ui-fg-interactive hover:underline" to={`/orders/${e.order_id}`}>{e.order_id}</Link> : "—"}</Table.Cell>
                <Table.Cell className="text-right">{e.code_count}</Table.Cell>
                <Table.Cell data-col="reason">{e.reason ?? "—"}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      <Pager offset={offset} count={count} onChange={setOffset} />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.audit.menu",
  translationNs: "translation",
})

export default AuditLogPage
