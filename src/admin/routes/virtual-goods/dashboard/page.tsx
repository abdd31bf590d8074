import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Container, Heading, Select, Table, Text } from "@medusajs/ui"
import { keepPreviousData, useQuery } from "@tanstack/react-query"
import { useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts"
import { AlertBadges, LoadError, Loading } from "../../../components/common"
import type { Alert } from "../../../lib/api"
import { sdk } from "../../../lib/sdk"

type Money = Record<string, string>
type Row = { sold: number; invalid: number; revenue: Money; cost: Money; margin: Money }
type Report = {
  from: string
  to: string
  days: (Row & { day: string; sold_by_pool: Record<string, number> })[]
  pools: (Row & { pool_id: string; name: string | null })[]
  batches: (Row & { batch_id: string; pool_id: string; pool_name: string | null; supplier: string | null; created_at: string | null })[]
  outlook: { pool_id: string; name: string; available: number; sold_last_7_days: number; per_day: number; days_left: number | null }[]
  alerts: (Alert & { pool_id: string; pool_name: string })[]
}

const PERIODS = [7, 30, 90] as const
/** Bars per product in the chart: the best sellers of the period; the rest is one "other" bar. */
const CHART_POOLS = 5
const COLORS = ["#3b82f6", "#8b5cf6", "#06b6d4", "#f59e0b", "#ec4899", "#94a3b8"]
const dayString = (d: Date) => d.toISOString().slice(0, 10)

/** The currency most of the revenue is in: the charts and tables show amounts in it. */
function mainCurrency(report: Report): string | null {
  const totals: Record<string, number> = {}
  for (const d of report.days) for (const [cur, v] of Object.entries(d.revenue)) totals[cur] = (totals[cur] ?? 0) + Number(v)
  for (const d of report.days) for (const cur of Object.keys(d.cost)) totals[cur] = totals[cur] ?? 0
  return Object.entries(totals).sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
}

/** Sales, cost and margin of virtual goods over time, by product and by batch; stock outlook; alerts. */
const DashboardPage = () => {
  const { t, i18n } = useTranslation()
  const [period, setPeriod] = useState<(typeof PERIODS)[number]>(30)
  const to = new Date()
  const from = new Date(to.getTime() - (period - 1) * 86_400_000)
  const { data, isLoading, error, refetch } = useQuery({
    queryKey: ["virtual-goods", "sales", period],
    queryFn: () => sdk.client.fetch<Report>("/admin/virtual-goods/reports/sales", { query: { from: dayString(from), to: dayString(to) } }),
    placeholderData: keepPreviousData,
  })
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

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <div className="flex items-center justify-between gap-4 px-6 py-4">
          <div>
            <Heading level="h1">{t("virtualGoods.dashboard.title")}</Heading>
            <Text size="small" className="text-ui-fg-subtle">
              {t("virtualGoods.dashboard.subtitle")}
            </Text>
          </div>
          <Select value={String(period)} onValueChange={(v) => setPeriod(Number(v) as (typeof PERIODS)[number])}>
            <Select.Trigger className="w-40" aria-label={t("virtualGoods.dashboard.period")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              {PERIODS.map((p) => (
                <Select.Item key={p} value={String(p)}>
                  {t("virtualGoods.dashboard.days", { count: p })}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
        </div>
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
            <div className="px-6 py-4">
              <Heading level="h2">{t("virtualGoods.dashboard.byPool")}</Heading>
            </div>
            {!data.pools.length ? (
              <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.dashboard.noSales")}</Text>
            ) : (
              <Table data-testid="by-pool">
                <Table.Header>
                  <Table.Row>
                    <Table.HeaderCell>{t("virtualGoods.dashboard.columns.pool")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.sold")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.invalid")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.revenue")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.cost")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.margin")}</Table.HeaderCell>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {data.pools.map((p) => (
                    <Table.Row key={p.pool_id} data-pool={p.pool_id}>
                      <Table.Cell>
                        <Link className="text-ui-fg-interactive hover:underline" to={`/virtual-goods/${p.pool_id}`}>
                          {p.name ?? p.pool_id}
                        </Link>
                      </Table.Cell>
                      <Table.Cell className="text-right" data-col="sold">{p.sold}</Table.Cell>
                      <Table.Cell className="text-right" data-col="invalid">{p.invalid}</Table.Cell>
                      <Table.Cell className="text-right" data-col="revenue">{fmt(p.revenue)}</Table.Cell>
                      <Table.Cell className="text-right" data-col="cost">{fmt(p.cost)}</Table.Cell>
                      <Table.Cell className="text-right" data-col="margin">{fmt(p.margin)}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            )}
          </Container>
          <Container className="divide-y p-0">
            <div className="px-6 py-4">
              <Heading level="h2">{t("virtualGoods.dashboard.byBatch")}</Heading>
            </div>
            {!!data.batches.length && (
              <Table data-testid="by-batch">
                <Table.Header>
                  <Table.Row>
                    <Table.HeaderCell>{t("virtualGoods.dashboard.columns.batch")}</Table.HeaderCell>
                    <Table.HeaderCell>{t("virtualGoods.dashboard.columns.supplier")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.sold")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.invalid")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.cost")}</Table.HeaderCell>
                    <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.margin")}</Table.HeaderCell>
                  </Table.Row>
                </Table.Header>
                <Table.Body>
                  {data.batches.map((b) => (
                    <Table.Row key={b.batch_id} data-batch={b.batch_id}>
                      <Table.Cell>
                        {b.pool_name ?? b.pool_id}
                        {b.created_at ? ` · ${new Date(b.created_at).toLocaleDateString(locale)}` : ""}
                      </Table.Cell>
                      <Table.Cell>{b.supplier ?? "—"}</Table.Cell>
                      <Table.Cell className="text-right">{b.sold}</Table.Cell>
                      <Table.Cell className="text-right">{b.invalid}</Table.Cell>
                      <Table.Cell className="text-right">{fmt(b.cost)}</Table.Cell>
                      <Table.Cell className="text-right">{fmt(b.margin)}</Table.Cell>
                    </Table.Row>
                  ))}
                </Table.Body>
              </Table>
            )}
            {!data.batches.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.dashboard.noSales")}</Text>}
          </Container>
          <Container className="divide-y p-0">
            <div className="px-6 py-4">
              <Heading level="h2">{t("virtualGoods.dashboard.outlook")}</Heading>
            </div>
            <Table data-testid="outlook">
              <Table.Header>
                <Table.Row>
                  <Table.HeaderCell>{t("virtualGoods.dashboard.columns.pool")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.available")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.pace")}</Table.HeaderCell>
                  <Table.HeaderCell className="text-right">{t("virtualGoods.dashboard.columns.daysLeft")}</Table.HeaderCell>
                </Table.Row>
              </Table.Header>
              <Table.Body>
                {data.outlook.map((o) => (
                  <Table.Row key={o.pool_id} data-pool={o.pool_id}>
                    <Table.Cell>{o.name}</Table.Cell>
                    <Table.Cell className="text-right">{o.available}</Table.Cell>
                    <Table.Cell className="text-right">{o.per_day}</Table.Cell>
                    <Table.Cell className="text-right" data-col="days-left">
                      {o.days_left === null ? (
                        "—"
                      ) : (
                        <Badge size="2xsmall" color={o.days_left < 7 ? "red" : o.days_left < 30 ? "orange" : "green"}>
                          {o.days_left}
                        </Badge>
                      )}
                    </Table.Cell>
                  </Table.Row>
                ))}
              </Table.Body>
            </Table>
          </Container>
          <Container className="divide-y p-0">
            <div className="px-6 py-4">
              <Heading level="h2">{t("virtualGoods.dashboard.alerts")}</Heading>
            </div>
            {!data.alerts.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.dashboard.noAlerts")}</Text>}
            {data.alerts.map((a) => (
              <div key={a.id} className="flex items-center justify-between px-6 py-3" data-alert-row={a.kind}>
                <Link className="text-ui-fg-interactive hover:underline" to={`/virtual-goods/${a.pool_id}`}>
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
