import { Button, Drawer, Input, Label, Select, Table, Text } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { errorMessage, reportUrl, useBatch, useBatchErrors, useImportFile } from "../lib/api"
import { ErrorText, ProgressBar, formatNumber } from "./common"

/**
 * Import wizard: choose a file and what to do with bad lines, upload (multipart, answered 202), then a progress bar
 * fed by the batch while it imports, and at the end the outcome with the per-line report and its CSV download.
 */
export const ImportWizard = ({ poolId }: { poolId: string }) => {
  const { t, i18n } = useTranslation()
  const qc = useQueryClient()
  const [open, setOpen] = useState(false)
  const [file, setFile] = useState<File | null>(null)
  const [mode, setMode] = useState<"all_or_nothing" | "skip_invalid">("all_or_nothing")
  const [supplier, setSupplier] = useState("")
  const [cost, setCost] = useState("")
  const [currency, setCurrency] = useState("")
  const [expires, setExpires] = useState("")
  const [problem, setProblem] = useState<string | null>(null)
  const [batchId, setBatchId] = useState<string | null>(null)
  const upload = useImportFile(poolId)
  const { data: batchData } = useBatch(batchId)
  const batch = batchData?.card_batch
  const finished = !!batch && batch.status !== "importing"
  const { data: errors } = useBatchErrors(batchId, finished && (batch?.rejected_count ?? 0) > 0)

  useEffect(() => {
    if (finished) qc.invalidateQueries({ queryKey: ["virtual-goods"] })
  }, [finished, qc])

  const reset = () => {
    setFile(null)
    setBatchId(null)
    setProblem(null)
  }

  const start = async () => {
    if (!file) {
      setProblem(t("virtualGoods.import.chooseFile"))
      return
    }
    const form = new FormData()
    form.append("mode", mode)
    if (supplier.trim()) form.append("supplier", supplier.trim())
    if (cost.trim()) form.append("cost_per_code", cost.trim())
    if (currency.trim()) form.append("currency_code", currency.trim())
    if (expires) form.append("expires_at", expires)
    form.append("file", file, file.name)
    setProblem(null)
    try {
      const { card_batch } = await upload.mutateAsync(form)
      setBatchId(card_batch.id)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }

  const n = (v: number) => formatNumber(v, i18n.language)

  return (
    <Drawer
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) reset()
      }}
    >
      <Drawer.Trigger asChild>
        <Button size="small" variant="secondary">
          {t("virtualGoods.import.button")}
        </Button>
      </Drawer.Trigger>
      <Drawer.Content>
        <Drawer.Header>
          <Drawer.Title>{t("virtualGoods.import.title")}</Drawer.Title>
        </Drawer.Header>
        <Drawer.Body className="flex flex-col gap-y-4 overflow-y-auto">
          {!batchId && (
            <>
              <div className="flex flex-col gap-y-2">
                <Label htmlFor="vg-import-file">{t("virtualGoods.import.file")}</Label>
                <input
                  id="vg-import-file"
                  type="file"
                  accept=".txt,.csv,text/plain,text/csv"
                  className="text-ui-fg-base txt-small"
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
              </div>
              <div className="flex flex-col gap-y-2">
                <Label>{t("virtualGoods.import.mode")}</Label>
                <Select value={mode} onValueChange={(v) => setMode(v as typeof mode)}>
                  <Select.Trigger aria-label={t("virtualGoods.import.mode")}>
                    <Select.Value />
                  </Select.Trigger>
                  <Select.Content>
                    <Select.Item value="all_or_nothing">{t("virtualGoods.import.all_or_nothing")}</Select.Item>
                    <Select.Item value="skip_invalid">{t("virtualGoods.import.skip_invalid")}</Select.Item>
                  </Select.Content>
                </Select>
              </div>
              <div className="grid grid-cols-2 gap-4">
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="vg-import-supplier">{t("virtualGoods.import.supplier")}</Label>
                  <Input id="vg-import-supplier" value={supplier} onChange={(e) => setSupplier(e.target.value)} />
                </div>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="vg-import-expires">{t("virtualGoods.import.expires")}</Label>
                  <Input id="vg-import-expires" type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
                </div>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="vg-import-cost">{t("virtualGoods.import.cost")}</Label>
                  <Input id="vg-import-cost" inputMode="decimal" value={cost} onChange={(e) => setCost(e.target.value)} />
                </div>
                <div className="flex flex-col gap-y-2">
                  <Label htmlFor="vg-import-currency">{t("virtualGoods.import.currency")}</Label>
                  <Input id="vg-import-currency" maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
                </div>
              </div>
            </>
          )}
          {batch && batch.status === "importing" && (
            <div className="flex flex-col gap-y-2" data-testid="import-progress">
              <ProgressBar percent={batch.progress.percent} />
              <Text size="small">{t("virtualGoods.import.progress", { percent: batch.progress.percent, lines: n(batch.progress.lines_read) })}</Text>
            </div>
          )}
          {batch && finished && (
            <div className="flex flex-col gap-y-3" data-testid="import-outcome" data-status={batch.status}>
              <ProgressBar percent={100} />
              <Text className={batch.status === "committed" ? "text-ui-fg-base" : "text-ui-fg-error"} role="status">
                {batch.status === "committed"
                  ? t("virtualGoods.import.committed", { codes: n(batch.code_count), rejected: n(batch.rejected_count) })
                  : batch.status === "rejected"
                    ? t("virtualGoods.import.rejected", { rejected: n(batch.rejected_count) })
                    : t("virtualGoods.import.failed", { error: batch.error ?? "" })}
              </Text>
              {!!errors?.errors.length && (
                <>
                  <Text weight="plus">{t("virtualGoods.import.errors")}</Text>
                  <Table>
                    <Table.Header>
                      <Table.Row>
                        <Table.HeaderCell>{t("virtualGoods.import.line")}</Table.HeaderCell>
                        <Table.HeaderCell>{t("virtualGoods.import.field")}</Table.HeaderCell>
                        <Table.HeaderCell>{t("virtualGoods.import.message")}</Table.HeaderCell>
                      </Table.Row>
                    </Table.Header>
                    <Table.Body>
                      {errors.errors.map((e) => (
                        <Table.Row key={`${e.line}-${e.field}`} data-line={e.line}>
                          <Table.Cell>{e.line}</Table.Cell>
                          <Table.Cell>{e.field}</Table.Cell>
                          <Table.Cell>{e.message}</Table.Cell>
                        </Table.Row>
                      ))}
                    </Table.Body>
                  </Table>
                  <a className="txt-small text-ui-fg-interactive hover:underline" href={reportUrl(batch.id)} download>
                    {t("virtualGoods.import.download")}
                  </a>
                </>
              )}
            </div>
          )}
          <ErrorText>{problem}</ErrorText>
        </Drawer.Body>
        <Drawer.Footer>
          <Drawer.Close asChild>
            <Button size="small" variant="secondary">
              {t("virtualGoods.common.close")}
            </Button>
          </Drawer.Close>
          {!batchId && (
            <Button size="small" onClick={start} isLoading={upload.isPending}>
              {t("virtualGoods.import.start")}
            </Button>
          )}
          {finished && (
            <Button size="small" variant="secondary" onClick={reset}>
              {t("virtualGoods.import.another")}
            </Button>
          )}
        </Drawer.Footer>
      </Drawer.Content>
    </Drawer>
  )
}
