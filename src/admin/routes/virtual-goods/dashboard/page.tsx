import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Container, Text } from "@medusajs/ui"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts"
import { AlertBadges, LoadError, Loading, linkClass } from "../../../components/common"
import { DataTable, type Column } from "../../../components/data-table"
import { SelectField } from "../../../components/fields"
import { SectionHeader } from "../../../components/section-header"
import { useSalesReport } from "../../../hooks/api/reports"
import type { Money, SalesReport } from "../../../types"

const PERIODS = [7, 30, 90] as const
/** Bars per product in the chart: the best sellers of the period; the rest is one "other" bar. */
const CHART_POOLS = 5
const COLORS = ["#3b82f6", "#8b5cf6", "#06b6d4", "#f59e0b", "#ec4899", "#94a3b8"]

/** The currency most of the revenue is in: the charts and tables show amounts in it. */
function mainCurrency(report: SalesReport): string | null {
  const totals: Record<string, number> = {}
  for (const d of report.days) for (const [cur, v] of Object.entries(d.revenue)) totals[cur] = (totals[cur] ?? 0) + Number(v)
  for (const d of report.days) for (const cur of Object.keys(d.cost)) totals[cur] = totals[cur] ?? 0
  return Object.entries(totals).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
}

/** Sales, cost and margin of virtual goods over time, by product and by batch; stock outlook; alerts. */
const DashboardPage = () => {
  const { t, i18n } = useTranslation()
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>(30)
  const { data, isLoading, error, refetch } = useSalesReport(period)
  const locale = i18n.language.startsWith("zh") ? "zh-CN" : "en-US"
  const currency = data ? mainCurrency(data) : null
  const amount = (m: Money) => (currency && m[currency] !== undefined ? Number(m[currency]) : 0)
  const fmt = (m: Money) =>
    currency && m[currency] !== undefined
      ? Number(m[currency]).toLocaleString(locale, { style: "currency", currency: currency.toUpperCase() })
      : t("virtualGoods.dashboard.never")
  const totals = data?.days.reduce(
    (acc, d) => ({ sold: acc.sold + d.sold, invalid: acc.invalid + d.invalid, revenue: acc.revenue + amount(d.revenue), cost: acc.cost + amount(d.cost) }),
    { sold: 0, invalid: 0, revenue: 0, cost: 0 }
  )
  const money = (n: number) => (currency ? n.toLocaleString(locale, { style: "currency", currency: currency.toUpperCase() }) : String(n))
  // Codes sold per day, stacked by product (the period's best sellers, then "other"), with revenue and cost lines.
  const top = (data?.pools ?? []).filter((p) => p.sold > 0).slice(0, CHART_POOLS)
  const topIds = new Set(top.map((p) => p.pool_id))
  const chartRows = (data?.days ?? []).map((d) => {
    const row: Record<string, number | string> = { day: d.day.slice(5), revenue: amount(d.revenue), cost: amount(d.cost) }
    let other = 0
    for (const [poolId, n] of Object.entries(d.sold_by_pool)) {
      if (topIds.has(poolId)) row[poolId] = n
      else other += n
    }
    row.other = other
    return row
  })
  const hasOther = chartRows.some((r) => Number(r.other) > 0)
  const poolColumns: Column<SalesReport["pools"][number]>[] = [
    {
      header: t("virtualGoods.dashboard.columns.pool"),
      cell: (p) => (
        <Link className={linkClass} to={`/virtual-goods/${p.pool_id}`}>
          {p.name ?? p.pool_id}
        </Link>
      ),
    },
    { header: t("virtualGoods.dashboard.columns.sold"), align: "right", col: "sold", cell: (p) => p.sold },
    { header: t("virtualGoods.dashboard.columns.invalid"), align: "right", col: "invalid", cell: (p) => p.invalid },
    { header: t("virtualGoods.dashboard.columns.revenue"), align: "right", col: "revenue", cell: (p) => fmt(p.revenue) },
    { header: t("virtualGoods.dashboard.columns.cost"), align: "right", col: "cost", cell: (p) => fmt(p.cost) },
    { header: t("virtualGoods.dashboard.columns.margin"), align: "right", col: "margin", cell: (p) => fmt(p.margin) },
  ]
  const batchColumns: Column<SalesReport["batches"][number]>[] = [
    {
      header: t("virtualGoods.dashboard.columns.batch"),
      cell: (b) => (
        <>
          {b.pool_name ?? b.pool_id}
          {b.created_at ? ` · ${new Date(b.created_at).toLocaleDateString(locale)}` : ""}
        </>
      ),
    },
    { header: t("virtualGoods.dashboard.columns.supplier"), cell: (b) => b.supplier ?? "—" },
    { header: t("virtualGoods.dashboard.columns.sold"), align: "right", cell: (b) => b.sold },
    { header: t("virtualGoods.dashboard.columns.invalid"), align: "right", cell: (b) => b.invalid },
    { header: t("virtualGoods.dashboard.columns.cost"), align: "right", cell: (b) => fmt(b.cost) },
    { header: t("virtualGoods.dashboard.columns.margin"), align: "right", cell: (b) => fmt(b.margin) },
  ]
  const outlookColumns: Column<SalesReport["outlook"][number]>[] = [
    { header: t("virtualGoods.dashboard.columns.pool"), cell: (o) => o.name },
    { header: t("virtualGoods.dashboard.columns.available"), align: "right", cell: (o) => o.available },
    { header: t("virtualGoods.dashboard.columns.pace"), align: "right", cell: (o) => o.per_day },
    {
      header: t("virtualGoods.dashboard.columns.daysLeft"),
      align: "right",
      col: "days-left",
      cell: (o) =>
        o.days_left === null ? (
          "—"
        ) : (
          <Badge size="2xsmall" color={o.days_left < 7 ? "red" : o.days_left < 30 ? "orange" : "green"}>
            {o.days_left}
          </Badge>
        ),
    },
  ]

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <SectionHeader
          level="h1"
          title={t("virtualGoods.dashboard.title")}
          hint={t("virtualGoods.dashboard.subtitle")}
          actions={
            <SelectField
              showLabel={false}
              triggerClassName="w-40"
              label={t("virtualGoods.dashboard.period")}
              value={String(period)}
              onChange={(v) => setPeriod(PERIODS.find((p) => String(p) === v) ?? period)}
              options={PERIODS.map((p) => ({ value: String(p), label: t("virtualGoods.dashboard.days", { count: p }) }))}
            />
          }
        />
        {isLoading && <Loading />}
        {error && <LoadError error={error} onRetry={() => refetch()} />}
        {data && totals && (
          <>
            <div className="grid grid-cols-2 gap-4 px-6 py-4 md:grid-cols-5" data-testid="totals">
              {(
                [
                  ["sold", totals.sold.toLocaleString(locale)],
                  ["invalid", totals.invalid.toLocaleString(locale)],
                  ["revenue", money(totals.revenue)],
                  ["cost", money(totals.cost)],
                  ["margin", money(totals.revenue - totals.cost)],
                ] as const
              ).map(([k, v]) => (
                <div key={k} className="flex flex-col" data-total={k}>
                  <Text size="xsmall" className="text-ui-fg-subtle">
                    {t(`virtualGoods.dashboard.${k}`)}
                  </Text>
                  <Text size="large" weight="plus" data-value>
                    {v}
                  </Text>
                </div>
              ))}
            </div>
            <div className="px-6 py-4">
              <Text weight="plus" size="small" className="mb-2">
                {t("virtualGoods.dashboard.perDay")}
              </Text>
              {totals.sold === 0 && totals.invalid === 0 ? (
                <Text size="small" className="text-ui-fg-subtle">
                  {t("virtualGoods.dashboard.noSales")}
                </Text>
              ) : (
                <div className="h-64 w-full" data-testid="sales-chart">
                  <ResponsiveContainer width="100%" height="100%">
                    <ComposedChart data={chartRows}>
                      <CartesianGrid strokeDasharray="3 3" stroke="var(--border-base, #e4e4e7)" />
                      <XAxis dataKey="day" fontSize={11} />
                      <YAxis yAxisId="codes" allowDecimals={false} fontSize={11} />
                      <YAxis yAxisId="money" orientation="right" fontSize={11} />
                      <Tooltip />
                      <Legend />
                      {top.map((p, i) => (
                        <Bar key={p.pool_id} yAxisId="codes" stackId="sold" dataKey={p.pool_id} name={p.name ?? p.pool_id} fill={COLORS[i]} isAnimationActive={false} />
                      ))}
                      {hasOther && (
                        <Bar yAxisId="codes" stackId="sold" dataKey="other" name={t("virtualGoods.dashboard.other")} fill={COLORS[CHART_POOLS]} isAnimationActive={false} />
                      )}
                      <Line yAxisId="money" dataKey="revenue" name={t("virtualGoods.dashboard.revenue")} stroke="#16a34a" dot={{ r: 2 }} isAnimationActive={false} />
                      <Line yAxisId="money" dataKey="cost" name={t("virtualGoods.dashboard.cost")} stroke="#dc2626" dot={{ r: 2 }} isAnimationActive={false} />
                    </ComposedChart>
                  </ResponsiveContainer>
                </div>
              )}
              {currency && (
                <Text size="xsmall" className="mt-2 text-ui-fg-subtle">
                  {t("virtualGoods.dashboard.currencyNote", { currency: currency.toUpperCase() })}
                </Text>
              )}
            </div>
          </>
        )}
      </Container>
      {data && (
        <>
          <Container className="divide-y p-0">
            <SectionHeader title={t("virtualGoods.dashboard.byPool")} />
            <DataTable
              testId="by-pool"
              columns={poolColumns}
              rows={data.pools}
              rowKey={(p) => p.pool_id}
              rowProps={(p) => ({ "data-pool": p.pool_id })}
              empty={!data.pools.length && t("virtualGoods.dashboard.noSales")}
            />
          </Container>
          <Container className="divide-y p-0">
            <SectionHeader title={t("virtualGoods.dashboard.byBatch")} />
            <DataTable
              testId="by-batch"
              columns={batchColumns}
              rows={data.batches}
              rowKey={(b) => b.batch_id}
              rowProps={(b) => ({ "data-batch": b.batch_id })}
              empty={!data.batches.length && t("virtualGoods.dashboard.noSales")}
            />
          </Container>
          <Container className="divide-y p-0">
            <SectionHeader title={t("virtualGoods.dashboard.outlook")} />
            <DataTable testId="outlook" columns={outlookColumns} rows={data.outlook} rowKey={(o) => o.pool_id} rowProps={(o) => ({ "data-pool": o.pool_id })} keepHeader />
          </Container>
          <Container className="divide-y p-0">
            <SectionHeader title={t("virtualGoods.dashboard.alerts")} />
            {!data.alerts.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.dashboard.noAlerts")}</Text>}
            {data.alerts.map((a) => (
              <div key={a.id} className="flex items-center justify-between px-6 py-3" data-alert-row={a.kind}>
                <Link className={linkClass} to={`/virtual-goods/${a.pool_id}`}>
                  {a.pool_name}
                </Link>
                <AlertBadges alerts={[a]} />
              </div>
            ))}
          </Container>
        </>
      )}
    </div>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.dashboard.menu",
  translationNs: "translation",
})

export default DashboardPage
