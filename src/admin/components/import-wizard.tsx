import { Button, Drawer, Label, Text } from "@medusajs/ui"
import { useQueryClient } from "@tanstack/react-query"
import { useEffect, useState } from "react"
import { useTranslation } from "react-i18next"
import { batchReportUrl, useBatch, useBatchErrors, useImportFile } from "../hooks/api/batches"
import { queryKeys } from "../lib/query-keys"
import { errorMessage } from "../lib/utils"
import type { ImportError } from "../types"
import { ErrorText, ProgressBar, formatNumber } from "./common"
import { DataTable, type Column } from "./data-table"
import { InputField, SelectField } from "./fields"
import { FormDrawer } from "./form-drawer"

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
    if (finished) qc.invalidateQueries({ queryKey: queryKeys.all })
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
  const errorColumns: Column<ImportError>[] = [
    { header: t("virtualGoods.import.line"), cell: (e) => e.line },
    { header: t("virtualGoods.import.field"), cell: (e) => e.field },
    { header: t("virtualGoods.import.message"), cell: (e) => e.message },
  ]

  return (
    <FormDrawer
      open={open}
      onOpenChange={(o) => {
        setOpen(o)
        if (!o) reset()
      }}
      trigger={
        <Button size="small" variant="secondary">
          {t("virtualGoods.import.button")}
        </Button>
      }
      title={t("virtualGoods.import.title")}
      bodyClassName="flex flex-col gap-y-4 overflow-y-auto"
      footer={
        <>
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
        </>
      }
    >
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
          <SelectField
            label={t("virtualGoods.import.mode")}
            value={mode}
            onChange={setMode}
            options={(["all_or_nothing", "skip_invalid"] as const).map((m) => ({ value: m, label: t(`virtualGoods.import.${m}`) }))}
          />
          <div className="grid grid-cols-2 gap-4">
            <InputField id="vg-import-supplier" label={t("virtualGoods.import.supplier")} value={supplier} onChange={(e) => setSupplier(e.target.value)} />
            <InputField id="vg-import-expires" label={t("virtualGoods.import.expires")} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
            <InputField id="vg-import-cost" label={t("virtualGoods.import.cost")} inputMode="decimal" value={cost} onChange={(e) => setCost(e.target.value)} />
            <InputField id="vg-import-currency" label={t("virtualGoods.import.currency")} maxLength={3} value={currency} onChange={(e) => setCurrency(e.target.value)} />
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
              <DataTable columns={errorColumns} rows={errors.errors} rowKey={(e) => `${e.line}-${e.field}`} rowProps={(e) => ({ "data-line": e.line })} />
              <a className="txt-small text-ui-fg-interactive hover:underline" href={batchReportUrl(batch.id)} download>
                {t("virtualGoods.import.download")}
              </a>
            </>
          )}
        </div>
      )}
      <ErrorText>{problem}</ErrorText>
    </FormDrawer>
  )
}
