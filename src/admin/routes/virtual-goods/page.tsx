import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Key } from "@medusajs/icons"
import { Container, Input, Text } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link } from "react-router-dom"
import { AlertBadges, formatNumber, linkClass } from "../../components/common"
import { DataTable, type Column } from "../../components/data-table"
import { SectionHeader } from "../../components/section-header"
import { usePools } from "../../hooks/api/pools"
import type { Pool } from "../../types"
import { CreatePoolModal } from "./components/create-pool-modal"

/** Pools of card codes with their stock by status and active alerts; search by name; create a pool. */
const VirtualGoodsPage = () => {
  const { t, i18n } = useTranslation()
  const [search, setSearch] = useState("")
  const [q, setQ] = useState("")
  useEffect(() => {
    const timer = setTimeout(() => setQ(search.trim()), 250)
    return () => clearTimeout(timer)
  }, [search])
  const { data, isLoading, error, refetch } = usePools(q)
  const n = (v: number) => formatNumber(v, i18n.language)
  const columns: Column<Pool>[] = [
    {
      header: t("virtualGoods.pools.columns.name"),
      cell: (p) => (
        <Link to={`/virtual-goods/${p.id}`} className={linkClass}>
          {p.name}
        </Link>
      ),
    },
    {
      header: t("virtualGoods.pools.columns.variant"),
      className: "text-ui-fg-subtle",
      cell: (p) => (p.product_variant ? `${p.product_variant.title}${p.product_variant.sku ? ` · ${p.product_variant.sku}` : ""}` : t("virtualGoods.pools.notLinked")),
    },
    { header: t("virtualGoods.pools.columns.available"), align: "right", attrs: { "data-stock": "available" }, cell: (p) => n(p.stock.available) },
    { header: t("virtualGoods.pools.columns.reserved"), align: "right", attrs: { "data-stock": "reserved" }, cell: (p) => n(p.stock.reserved) },
    { header: t("virtualGoods.pools.columns.sold"), align: "right", attrs: { "data-stock": "sold" }, cell: (p) => n(p.stock.delivered + p.stock.revealed) },
    { header: t("virtualGoods.pools.columns.total"), align: "right", attrs: { "data-stock": "total" }, cell: (p) => n(p.stock.total) },
    { header: t("virtualGoods.pools.columns.alerts"), cell: (p) => <AlertBadges alerts={p.alerts} /> },
  ]

  return (
    <Container className="divide-y p-0">
      <SectionHeader level="h1" title={t("virtualGoods.pools.title")} hint={t("virtualGoods.pools.subtitle")} actions={<CreatePoolModal />} />
      <div className="flex items-center justify-between gap-4 px-6 py-3">
        <Input
          type="search"
          size="small"
          className="max-w-xs"
          placeholder={t("virtualGoods.pools.search")}
          aria-label={t("virtualGoods.pools.search")}
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {data && (
          <Text size="small" className="text-ui-fg-subtle" data-testid="pool-count">
            {t("virtualGoods.pools.count", { count: data.count })}
          </Text>
        )}
      </div>
      <DataTable
        columns={columns}
        rows={data?.card_pools ?? []}
        rowKey={(p) => p.id}
        rowProps={(p) => ({ "data-pool": p.id })}
        isLoading={isLoading}
        error={error}
        onRetry={() => refetch()}
        empty={data && !data.card_pools.length && (q ? t("virtualGoods.pools.noMatch", { q }) : t("virtualGoods.pools.empty"))}
        emptyCentered
      />
    </Container>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.menu",
  translationNs: "translation",
  icon: Key,
})

export default VirtualGoodsPage
