import { Button, Container, Heading, Input, Label, Select, Table, Text, toast, usePrompt } from "@medusajs/ui"
import { FormEvent, useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { Link, useParams } from "react-router-dom"
import { AlertBadges, DetailState, ErrorText, LoadError, Loading, Pager, StatusBadge, formatDate, formatNumber } from "../../../components/common"
import { GenerateDialog } from "../../../components/generate-dialog"
import { ImportWizard } from "../../../components/import-wizard"
import {
  Code,
  errorMessage,
  Pool,
  reportUrl,
  useBatches,
  useCodes,
  useFindCode,
  useLinkVariant,
  usePool,
  useUnlinkVariant,
  useUpdatePool,
} from "../../../lib/api"

const STATUSES = ["available", "reserved", "delivered", "revealed", "voided", "expired"] as const

/** One pool: stock by status, settings and alert thresholds, the linked variant, batches, codes, import and generate. */
const PoolPage = () => {
  const { id } = useParams()
  const { t } = useTranslation()
  const { data, isLoading, error, refetch } = usePool(id!)

  return (
    <div className="flex flex-col gap-y-3">
      <Link to="/virtual-goods" className="txt-small text-ui-fg-subtle hover:text-ui-fg-base">
        ← {t("virtualGoods.pool.back")}
      </Link>
      <DetailState isLoading={isLoading} error={error} notFound={t("virtualGoods.pool.notFound")} onRetry={() => refetch()} />
      {data && (
        <>
          <StockSection pool={data.card_pool} />
          <SettingsSection pool={data.card_pool} />
          <BatchesSection poolId={data.card_pool.id} />
          <CodesSection poolId={data.card_pool.id} />
        </>
      )}
    </div>
  )
}

const StockSection = ({ pool }: { pool: Pool }) => {
  const { t, i18n } = useTranslation()
  return (
    <Container className="divide-y p-0">
      <div className="flex items-start justify-between gap-4 px-6 py-4">
        <div className="flex flex-col gap-y-1">
          <Heading level="h1">{pool.name}</Heading>
          {pool.description && (
            <Text size="small" className="text-ui-fg-subtle">
              {pool.description}
            </Text>
          )}
          <AlertBadges alerts={pool.alerts} />
        </div>
        <div className="flex gap-2">
          <ImportWizard poolId={pool.id} />
          <GenerateDialog poolId={pool.id} />
        </div>
      </div>
      <div className="grid grid-cols-3 gap-4 px-6 py-4 md:grid-cols-7" data-testid="stock">
        {([...STATUSES, "total"] as const).map((s) => (
          <div key={s} className="flex flex-col" data-stock={s}>
            <Text size="xsmall" className="text-ui-fg-subtle">
              {s === "total" ? t("virtualGoods.pools.columns.total") : t(`virtualGoods.status.${s}`)}
            </Text>
            <Text size="large" weight="plus" data-value>
              {formatNumber(pool.stock[s], i18n.language)}
            </Text>
          </div>
        ))}
      </div>
    </Container>
  )
}

const SettingsSection = ({ pool }: { pool: Pool }) => {
  const { t } = useTranslation()
  const update = useUpdatePool(pool.id)
  const link = useLinkVariant(pool.id)
  const unlink = useUnlinkVariant(pool.id)
  const prompt = usePrompt()
  const [order, setOrder] = useState(pool.allocation_order)
  const [threshold, setThreshold] = useState(pool.low_stock_threshold?.toString() ?? "")
  const [days, setDays] = useState(pool.expiry_warning_days?.toString() ?? "")
  const [variantId, setVariantId] = useState("")
  const [locationId, setLocationId] = useState(pool.stock_location_id ?? "")
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    setOrder(pool.allocation_order)
    setThreshold(pool.low_stock_threshold?.toString() ?? "")
    setDays(pool.expiry_warning_days?.toString() ?? "")
  }, [pool.allocation_order, pool.low_stock_threshold, pool.expiry_warning_days])

  const save = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await update.mutateAsync({
        allocation_order: order,
        low_stock_threshold: threshold.trim() === "" ? null : Number(threshold),
        expiry_warning_days: days.trim() === "" ? null : Number(days),
      })
      toast.success(t("virtualGoods.common.saved"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const linkVariant = async (e: FormEvent) => {
    e.preventDefault()
    setProblem(null)
    try {
      await link.mutateAsync({ variant_id: variantId.trim(), stock_location_id: locationId.trim() })
      setVariantId("")
      toast.success(t("virtualGoods.pool.linked"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  const unlinkVariant = async () => {
    const ok = await prompt({
      title: t("virtualGoods.pool.unlinkTitle"),
      description: t("virtualGoods.pool.unlinkHint"),
      confirmText: t("virtualGoods.pool.unlink"),
      cancelText: t("virtualGoods.common.cancel"),
    })
    if (!ok) return
    setProblem(null)
    try {
      await unlink.mutateAsync()
      toast.success(t("virtualGoods.pool.unlinked"))
    } catch (err) {
      setProblem(errorMessage(err))
    }
  }

  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.pool.settings")}</Heading>
      </div>
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={save}>
        <div className="flex flex-col gap-y-2">
          <Label>{t("virtualGoods.pool.allocationOrder")}</Label>
          <Select value={order} onValueChange={(v) => setOrder(v as Pool["allocation_order"])}>
            <Select.Trigger aria-label={t("virtualGoods.pool.allocationOrder")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="fifo">{t("virtualGoods.pool.fifo")}</Select.Item>
              <Select.Item value="expiry_first">{t("virtualGoods.pool.expiry_first")}</Select.Item>
            </Select.Content>
          </Select>
        </div>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-threshold">{t("virtualGoods.pool.lowStockThreshold")}</Label>
          <Input id="vg-threshold" type="number" min={0} placeholder={t("virtualGoods.pool.off")} value={threshold} onChange={(e) => setThreshold(e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-days">{t("virtualGoods.pool.expiryWarningDays")}</Label>
          <Input id="vg-days" type="number" min={1} placeholder={t("virtualGoods.pool.off")} value={days} onChange={(e) => setDays(e.target.value)} />
        </div>
        <div className="flex items-end">
          <Button size="small" type="submit" isLoading={update.isPending}>
            {t("virtualGoods.common.save")}
          </Button>
        </div>
      </form>
      <form className="grid grid-cols-1 gap-4 px-6 py-4 md:grid-cols-4" onSubmit={linkVariant}>
        <div className="flex flex-col gap-y-2">
          <Label>{t("virtualGoods.pool.variant")}</Label>
          <Text size="small" data-testid="linked-variant">
            {pool.product_variant ? (
              <Link className="text-ui-fg-interactive hover:underline" to={`/products/${pool.product_variant.product_id}`}>
                {pool.product_variant.title}
                {pool.product_variant.sku ? ` · ${pool.product_variant.sku}` : ""}
              </Link>
            ) : (
              t("virtualGoods.pools.notLinked")
            )}
          </Text>
          {pool.product_variant && (
            <Button size="small" variant="transparent" type="button" className="w-fit px-0 text-ui-fg-error" onClick={unlinkVariant} isLoading={unlink.isPending}>
              {t("virtualGoods.pool.unlink")}
            </Button>
          )}
        </div>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-variant">{t("virtualGoods.pool.variantId")}</Label>
          <Input id="vg-variant" placeholder="variant_…" value={variantId} onChange={(e) => setVariantId(e.target.value)} />
        </div>
        <div className="flex flex-col gap-y-2">
          <Label htmlFor="vg-location">{t("virtualGoods.pool.locationId")}</Label>
          <Input id="vg-location" placeholder="sloc_…" value={locationId} onChange={(e) => setLocationId(e.target.value)} />
        </div>
        <div className="flex items-end">
          <Button size="small" variant="secondary" type="submit" disabled={!variantId.trim() || !locationId.trim()} isLoading={link.isPending}>
            {t("virtualGoods.pool.linkVariant")}
          </Button>
        </div>
      </form>
      <ErrorText className="px-6 py-3">{problem}</ErrorText>
    </Container>
  )
}

const BatchesSection = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const { data, isLoading, error, refetch } = useBatches(poolId)
  const n = (v: number | null | undefined) => formatNumber(v, i18n.language)
  return (
    <Container className="divide-y p-0">
      <div className="px-6 py-4">
        <Heading level="h2">{t("virtualGoods.batches.title")}</Heading>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {data && !data.card_batches.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.batches.empty")}</Text>}
      {data && !!data.card_batches.length && (
        <Table>
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.batches.columns.created")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.batches.columns.source")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.batches.columns.supplier")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.batches.columns.status")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.batches.columns.codes")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.batches.columns.rejected")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.batches.columns.sold")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.batches.columns.invalid")}</Table.HeaderCell>
              <Table.HeaderCell className="text-right">{t("virtualGoods.batches.columns.cost")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.batches.columns.expires")}</Table.HeaderCell>
              <Table.HeaderCell />
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {data.card_batches.map((b) => (
              <Table.Row key={b.id} data-batch={b.id}>
                <Table.Cell>{formatDate(b.created_at, i18n.language)}</Table.Cell>
                <Table.Cell>
                  {t(`virtualGoods.batches.source.${b.source}`, { defaultValue: b.source })}
                  {b.file_name ? ` · ${b.file_name}` : ""}
                </Table.Cell>
                <Table.Cell>{b.supplier ?? "—"}</Table.Cell>
                <Table.Cell>
                  <StatusBadge status={b.status} />
                </Table.Cell>
                <Table.Cell className="text-right" data-col="codes">{n(b.code_count)}</Table.Cell>
                <Table.Cell className="text-right" data-col="rejected">{n(b.rejected_count)}</Table.Cell>
                <Table.Cell className="text-right" data-col="sold">{n(b.report?.sold)}</Table.Cell>
                <Table.Cell className="text-right" data-col="invalid">{n(b.report?.invalid)}</Table.Cell>
                <Table.Cell className="text-right">
                  {b.report?.cost_total ? `${b.report.cost_total} ${(b.currency_code ?? "").toUpperCase()}` : "—"}
                </Table.Cell>
                <Table.Cell>{formatDate(b.expires_at, i18n.language)}</Table.Cell>
                <Table.Cell>
                  {b.rejected_count > 0 && (
                    <a className="txt-small text-ui-fg-interactive hover:underline" href={reportUrl(b.id)} download>
                      {t("virtualGoods.batches.report")}
                    </a>
                  )}
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
    </Container>
  )
}

const CodesSection = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const [status, setStatus] = useState("")
  const [offset, setOffset] = useState(0)
  const [needle, setNeedle] = useState("")
  const [found, setFound] = useState<Code[] | null>(null)
  const { data, isLoading, error, refetch } = useCodes(poolId, status, offset)
  const find = useFindCode()

  const search = async (e: FormEvent) => {
    e.preventDefault()
    if (!needle.trim()) return
    try {
      const { card_codes } = await find.mutateAsync({ code: needle, pool_id: poolId })
      setFound(card_codes)
      // The value typed is not kept on the page once it has been looked up.
      setNeedle("")
    } catch (err) {
      toast.error(errorMessage(err))
    }
  }

  const rows = found ?? data?.card_codes ?? []
  const count = data?.count ?? 0
  return (
    <Container className="divide-y p-0">
      <div className="flex flex-wrap items-center justify-between gap-4 px-6 py-4">
        <Heading level="h2">{t("virtualGoods.codes.title")}</Heading>
        <div className="flex flex-wrap items-center gap-2">
          <Select
            value={status || "all"}
            onValueChange={(v) => {
              setStatus(v === "all" ? "" : v)
              setOffset(0)
              setFound(null)
            }}
          >
            <Select.Trigger className="w-44" aria-label={t("virtualGoods.codes.filter")}>
              <Select.Value />
            </Select.Trigger>
            <Select.Content>
              <Select.Item value="all">{t("virtualGoods.codes.all")}</Select.Item>
              {STATUSES.map((s) => (
                <Select.Item key={s} value={s}>
                  {t(`virtualGoods.status.${s}`)}
                </Select.Item>
              ))}
            </Select.Content>
          </Select>
          <form className="flex gap-2" onSubmit={search}>
            <Input
              size="small"
              type="password"
              autoComplete="off"
              aria-label={t("virtualGoods.codes.find")}
              placeholder={t("virtualGoods.codes.findPlaceholder")}
              value={needle}
              onChange={(e) => setNeedle(e.target.value)}
            />
            <Button size="small" variant="secondary" type="submit" isLoading={find.isPending}>
              {t("virtualGoods.codes.findButton")}
            </Button>
          </form>
          {found && (
            <Button size="small" variant="transparent" onClick={() => setFound(null)}>
              {t("virtualGoods.codes.clear")}
            </Button>
          )}
        </div>
      </div>
      {isLoading && <Loading />}
      {error && <LoadError error={error} onRetry={() => refetch()} />}
      {found && !found.length && <Text className="px-6 py-4 text-ui-fg-subtle" data-testid="code-not-found">{t("virtualGoods.codes.notFound")}</Text>}
      {!found && data && !data.card_codes.length && <Text className="px-6 py-4 text-ui-fg-subtle">{t("virtualGoods.codes.empty")}</Text>}
      {!!rows.length && (
        <Table data-testid="codes-table">
          <Table.Header>
            <Table.Row>
              <Table.HeaderCell>{t("virtualGoods.codes.columns.code")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.codes.columns.status")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.codes.columns.expires")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.codes.columns.order")}</Table.HeaderCell>
              <Table.HeaderCell>{t("virtualGoods.codes.columns.created")}</Table.HeaderCell>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {rows.map((c) => (
              <Table.Row key={c.id} data-code={c.id}>
                <Table.Cell className="font-mono">{c.mask}</Table.Cell>
                <Table.Cell>
                  <StatusBadge status={c.status} />
                </Table.Cell>
                <Table.Cell>{formatDate(c.expires_at, i18n.language)}</Table.Cell>
                <Table.Cell>
                  {c.order_id ? (
                    <Link className="text-ui-fg-interactive hover:underline" to={`/orders/${c.order_id}`}>
                      {c.order_id}
                    </Link>
                  ) : (
                    "—"
                  )}
                </Table.Cell>
                <Table.Cell>{formatDate(c.created_at, i18n.language)}</Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table>
      )}
      {!found && <Pager offset={offset} count={count} onChange={setOffset} />}
    </Container>
  )
}

export default PoolPage
