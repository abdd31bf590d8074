import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Key } from "@medusajs/icons"
import { Button, Container, FocusModal, Heading, Input, Label, Table, Text, Textarea, toast } from "@medusajs/ui"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link, useNavigate } from "react-router-dom"
import { AlertBadges, ErrorText, LoadError, Loading, formatNumber } from "../../components/common"
import { errorMessage, useCreatePool, usePools } from "../../lib/api"

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

  return (
    <Container className="divide-y p-0">
      <div className="flex items-center justify-between gap-4 px-6 py-4">
        <div>
          <Heading level="h1">{t("virtualGoods.pools.title")}</Heading>
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.pools.subtitle")}
          </Text>
        </div>
        <CreatePool />
      </div>
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
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {isLoading && <Loading />}
      {data && !data.card_pools.length && (
        <Text className="px-6 py-8 text-center text-ui-fg-subtle">
          {q ? t("virtualGoods.pools.noMatch", { q }) : t("virtualGoods.pools.empty")}
        </Text>
      )}
      {data && !!data.card_pools.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.pools.columns.name")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.pools.columns.variant")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.pools.columns.available")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.pools.columns.reserved")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.pools.columns.sold")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.pools.columns.total")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.pools.columns.alerts")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.card_pools.map((p) => (
              <Table.Row key={p.id} data-pool={p.id}>
                <Table.Cell>
                  <Link to={`/virtual-goods/${p.id}`} className="text-ui-fg-interactive hover:underline">
                    {p.name}
                  </Link>
                </Table.Cell>
                <Table.Cell className="text-ui-fg-subtle">
                  {p.product_variant ? `${p.product_variant.title}${p.product_variant.sku ? ` · ${p.product_variant.sku}` : ""}` : t("virtualGoods.pools.notLinked")}
                </Table.Cell>
                <Table.Cell className="text-right" data-stock="available">{n(p.stock.available)}</Table.Cell>
                <Table.Cell className="text-right" data-stock="reserved">{n(p.stock.reserved)}</Table.Cell>
                <Table.Cell className="text-right" data-stock="sold">{n(p.stock.delivered + p.stock.revealed)}</Table.Cell>
                <Table.Cell className="text-right" data-stock="total">{n(p.stock.total)}</Table.Cell>
                <Table.Cell>
                  <AlertBadges alerts={p.alerts} />
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

const CreatePool = () => {
  const { t } = useTranslation()
  const navigate = useNavigate()
  const [open, setOpen] = useState(false)
  const [name, setName] = useState("")
  const [description, setDescription] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const create = useCreatePool()

  const submit = async () => {
    if (!name.trim()) {
      setProblem(t("virtualGoods.pools.nameRequired"))
      return
    }
    try {
      const { card_pool } = await create.mutateAsync({ name: name.trim(), description: description.trim() || undefined })
      toast.success(t("virtualGoods.pools.created", { name: card_pool.name }))
      setOpen(false)
      navigate(`/virtual-goods/${card_pool.id}`)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }

  return (
    <FocusModal open={open} onOpenChange={setOpen}>
      <FocusModal.Trigger asChild>
        <Button size="small" variant="secondary">
          {t("virtualGoods.pools.create")}
        </Button>
      </FocusModal.Trigger>
      <FocusModal.Content>
        <FocusModal.Header>
          <Button size="small" onClick={submit} isLoading={create.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </FocusModal.Header>
        <FocusModal.Body className="flex flex-col items-center py-16">
          <div className="flex w-full max-w-lg flex-col gap-y-4">
            <Heading>{t("virtualGoods.pools.createTitle")}</Heading>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-pool-name">{t("virtualGoods.pools.name")}</Label>
              <Input id="vg-pool-name" value={name} onChange={(e) => setName(e.target.value)} />
            </div>
            <div className="flex flex-col gap-y-2">
              <Label htmlFor="vg-pool-description">{t("virtualGoods.pools.description")}</Label>
              <Textarea id="vg-pool-description" value={description} onChange={(e) => setDescription(e.target.value)} />
            </div>
            <ErrorText>{problem}</ErrorText>
          </div>
        </FocusModal.Body>
      </FocusModal.Content>
    </FocusModal>
  )
}

export const config = defineRouteConfig({
  label: "virtualGoods.menu",
  translationNs: "translation",
  icon: Key,
})

export default VirtualGoodsPage
