import { defineRouteConfig } from "@medusajs/admin-sdk"
import { Badge, Button, Container, Heading, Label, Text, toast } from "@medusajs/ui"
import { useEffect, useRef, useState, type FormEvent } from "react"
import { useTranslation } from "react-i18next"
import { formatDate } from "../../../components/common"
import { DataTable, type Column } from "../../../components/data-table"
import { InputField } from "../../../components/fields"
import { SectionHeader } from "../../../components/section-header"
import { useRedeemVoucher, useRollbackRedemption, useValidateVoucher } from "../../../hooks/api/vouchers"
import { errorMessage } from "../../../lib/utils"
import { amountOf, canRollBack, newRedemptionKey, qrTextOfImage, remainingText, type Voucher, type VoucherRedemption } from "./lib"

const STATUS_COLOR = { redeemable: "green", used_up: "grey", disabled: "orange", expired: "red" } as const

/** The browser's barcode reader, where it has one (Chromium on most platforms). */
type BarcodeReader = { detect: (source: CanvasImageSource) => Promise<{ rawValue: string }[]> }
type BarcodeReaderClass = new (options: { formats: string[] }) => BarcodeReader
const barcodeReaderClass = (): BarcodeReaderClass | null => {
  const candidate = (globalThis as { BarcodeDetector?: BarcodeReaderClass }).BarcodeDetector
  return candidate && typeof navigator !== "undefined" && !!navigator.mediaDevices?.getUserMedia ? candidate : null
}

/** Reads QR codes from the device camera until one is found or the counter stops. */
const CameraScanner = ({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) => {
  const { t } = useTranslation()
  const video = useRef<HTMLVideoElement>(null)
  const [problem, setProblem] = useState<string | null>(null)
  useEffect(() => {
    const Reader = barcodeReaderClass()
    if (!Reader) return
    let stream: MediaStream | null = null
    let timer: ReturnType<typeof setInterval> | undefined
    let stopped = false
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: "environment" } })
      .then(async (s) => {
        stream = s
        if (stopped || !video.current) return
        video.current.srcObject = s
        await video.current.play()
        const reader = new Reader({ formats: ["qr_code"] })
        timer = setInterval(async () => {
          if (!video.current) return
          const [found] = await reader.detect(video.current).catch(() => [])
          if (found?.rawValue) {
            clearInterval(timer)
            onCode(found.rawValue.trim())
          }
        }, 300)
      })
      .catch((e: unknown) => setProblem(errorMessage(e)))
    return () => {
      stopped = true
      if (timer) clearInterval(timer)
      stream?.getTracks().forEach((track) => track.stop())
    }
  }, [onCode])
  return (
    <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="camera">
      <video ref={video} className="max-h-64 rounded-md bg-ui-bg-subtle" muted playsInline />
      {problem && <Text className="text-ui-fg-error">{t("virtualGoods.counter.cameraFailed", { message: problem })}</Text>}
      <div>
        <Button size="small" variant="secondary" onClick={onClose}>
          {t("virtualGoods.counter.stopCamera")}
        </Button>
      </div>
    </div>
  )
}

/**
 * The counter (核销台): a voucher's code typed, scanned with the camera where the browser can, or read from a photo of
 * its QR code; its state and ledger; redemption (a use, or an amount of a stored value) exactly once per attempt — a
 * retry after a lost answer reuses the attempt's key — and rollback of a redemption with a reason. The code lives in
 * this page's memory only: it is sent in request bodies, never in a URL, and cleared on "Next voucher".
 */
const CounterPage = () => {
  const { t, i18n } = useTranslation()
  const [code, setCode] = useState("")
  const [voucher, setVoucher] = useState<Voucher | null>(null)
  const [amount, setAmount] = useState("")
  const [attemptKey, setAttemptKey] = useState<string | null>(null)
  const [problem, setProblem] = useState<string | null>(null)
  const [scanning, setScanning] = useState(false)
  const [rollingBack, setRollingBack] = useState<VoucherRedemption | null>(null)
  const [reason, setReason] = useState("")
  const validate = useValidateVoucher()
  const redeem = useRedeemVoucher()
  const rollback = useRollbackRedemption()

  const check = async (value = code) => {
    setProblem(null)
    setVoucher(null)
    setAttemptKey(null)
    if (!value.trim()) return setProblem(t("virtualGoods.counter.codeRequired"))
    try {
      setVoucher((await validate.mutateAsync(value.trim())).voucher)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  const onScanned = (scanned: string) => {
    setScanning(false)
    setCode(scanned)
    void check(scanned)
  }
  const submit = (e: FormEvent) => {
    e.preventDefault()
    void check()
  }
  const doRedeem = async () => {
    if (!voucher) return
    setProblem(null)
    const value = voucher.kind === "stored_value" ? amountOf(amount) : undefined
    if (voucher.kind === "stored_value" && !value) return setProblem(t("virtualGoods.counter.amountInvalid"))
    const key = attemptKey ?? newRedemptionKey()
    setAttemptKey(key)
    try {
      const result = await redeem.mutateAsync({ code: code.trim(), amount: value ?? undefined, key })
      setAttemptKey(null)
      setAmount("")
      toast.success(t("virtualGoods.counter.redeemed", { remaining: remainingText(result.voucher, t) }))
      setVoucher((await validate.mutateAsync(code.trim())).voucher)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  const doRollback = async () => {
    if (!rollingBack) return
    if (reason.trim().length < 3) return setProblem(t("virtualGoods.counter.reasonTooShort"))
    try {
      await rollback.mutateAsync({ id: rollingBack.id, reason: reason.trim() })
      toast.success(t("virtualGoods.counter.rolledBack"))
      setRollingBack(null)
      setReason("")
      setVoucher((await validate.mutateAsync(code.trim())).voucher)
    } catch (e) {
      setProblem(errorMessage(e))
    }
  }
  const onPhoto = async (file: File | undefined) => {
    if (!file) return
    setProblem(null)
    const read = await qrTextOfImage(file).catch(() => null)
    if (!read) return setProblem(t("virtualGoods.counter.noQr"))
    setCode(read)
    void check(read)
  }
  const next = () => {
    setCode("")
    setVoucher(null)
    setAmount("")
    setAttemptKey(null)
    setProblem(null)
    setRollingBack(null)
  }

  const columns: Column<VoucherRedemption>[] = [
    { header: t("virtualGoods.counter.columns.when"), className: "whitespace-nowrap", cell: (r) => formatDate(r.created_at, i18n.language) },
    { header: t("virtualGoods.counter.columns.kind"), cell: (r) => t(`virtualGoods.counter.kinds.${r.kind}`) },
    { header: t("virtualGoods.counter.columns.taken"), align: "right", cell: (r) => r.amount ?? r.uses },
    { header: t("virtualGoods.counter.columns.left"), align: "right", cell: (r) => r.remaining_value_after ?? r.remaining_uses_after ?? "—" },
    { header: t("virtualGoods.counter.columns.by"), cell: (r) => `${t(`virtualGoods.counter.channels.${r.channel}`)}${r.actor_id ? ` · ${r.actor_id}` : ""}` },
    { header: t("virtualGoods.counter.columns.reason"), cell: (r) => r.reason ?? (r.rolled_back_at ? t("virtualGoods.counter.wasRolledBack") : "—") },
    {
      cell: (r) =>
        canRollBack(r) && (
          <Button size="small" variant="transparent" onClick={() => setRollingBack(r)}>
            {t("virtualGoods.counter.rollback")}
          </Button>
        ),
    },
  ]

  return (
    <div className="flex flex-col gap-y-3">
      <Container className="divide-y p-0">
        <SectionHeader level="h1" title={t("virtualGoods.counter.title")} hint={t("virtualGoods.counter.subtitle")} />
        <form className="flex flex-wrap items-end gap-3 px-6 py-4" onSubmit={submit}>
          <InputField
            id="voucher-code"
            label={t("virtualGoods.counter.code")}
            className="flex min-w-[280px] flex-1 flex-col gap-y-2"
            value={code}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setCode(e.target.value)}
          />
          <Button type="submit" isLoading={validate.isPending}>
            {t("virtualGoods.counter.check")}
          </Button>
          {barcodeReaderClass() && (
            <Button type="button" variant="secondary" onClick={() => setScanning(true)}>
              {t("virtualGoods.counter.scan")}
            </Button>
          )}
          <div className="flex flex-col gap-y-2">
            <Label htmlFor="voucher-photo">{t("virtualGoods.counter.photo")}</Label>
            <input id="voucher-photo" type="file" accept="image/*" capture="environment" onChange={(e) => void onPhoto(e.target.files?.[0])} />
          </div>
        </form>
        {scanning && <CameraScanner onCode={onScanned} onClose={() => setScanning(false)} />}
        {problem && (
          <Text className="px-6 py-4 text-ui-fg-error" role="alert">
            {problem}
          </Text>
        )}
      </Container>
      {voucher && (
        <Container className="divide-y p-0" data-testid="voucher" data-status={voucher.status}>
          <div className="flex items-center justify-between gap-4 px-6 py-4">
            <div className="flex items-center gap-2">
              <Heading level="h2" className="font-mono">
                {voucher.mask}
              </Heading>
              <Badge size="2xsmall" color={STATUS_COLOR[voucher.status]} data-value={voucher.status}>
                {t(`virtualGoods.counter.status.${voucher.status}`)}
              </Badge>
            </div>
            <Button size="small" variant="secondary" onClick={next}>
              {t("virtualGoods.counter.next")}
            </Button>
          </div>
          <div className="grid grid-cols-2 gap-4 px-6 py-4 md:grid-cols-4">
            <div>
              <Text size="small" className="text-ui-fg-subtle">{t("virtualGoods.counter.kind")}</Text>
              <Text>{t(`virtualGoods.counter.voucherKinds.${voucher.kind}`)}</Text>
            </div>
            <div data-testid="voucher-remaining">
              <Text size="small" className="text-ui-fg-subtle">{t("virtualGoods.counter.remaining")}</Text>
              <Text data-value>{remainingText(voucher, t)}</Text>
            </div>
            <div>
              <Text size="small" className="text-ui-fg-subtle">{t("virtualGoods.counter.expires")}</Text>
              <Text>{formatDate(voucher.expires_at, i18n.language)}</Text>
            </div>
            <div>
              <Text size="small" className="text-ui-fg-subtle">{t("virtualGoods.counter.lastRedeemed")}</Text>
              <Text>{formatDate(voucher.last_redeemed_at, i18n.language)}</Text>
            </div>
          </div>
          {voucher.status === "redeemable" && (
            <div className="flex flex-wrap items-end gap-3 px-6 py-4">
              {voucher.kind === "stored_value" && (
                <InputField
                  id="voucher-amount"
                  label={t("virtualGoods.counter.amount", { currency: (voucher.currency_code ?? "").toUpperCase() })}
                  inputMode="decimal"
                  value={amount}
                  onChange={(e) => setAmount(e.target.value)}
                />
              )}
              <Button onClick={() => void doRedeem()} isLoading={redeem.isPending}>
                {t("virtualGoods.counter.redeem")}
              </Button>
            </div>
          )}
          {rollingBack && (
            <div className="flex flex-wrap items-end gap-3 px-6 py-4" data-testid="rollback">
              <InputField
                id="rollback-reason"
                label={t("virtualGoods.counter.reason")}
                className="flex min-w-[280px] flex-1 flex-col gap-y-2"
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
              <Button variant="danger" onClick={() => void doRollback()} isLoading={rollback.isPending}>
                {t("virtualGoods.counter.confirmRollback")}
              </Button>
              <Button variant="secondary" onClick={() => setRollingBack(null)}>
                {t("virtualGoods.common.cancel")}
              </Button>
            </div>
          )}
          <DataTable
            testId="voucher-redemptions"
            columns={columns}
            rows={voucher.redemptions ?? []}
            rowKey={(r) => r.id}
            rowProps={(r) => ({ "data-redemption": r.id, "data-kind": r.kind })}
            empty={t("virtualGoods.counter.noRedemptions")}
          />
        </Container>
      )}
    </div>
  )
}

export const config = defineRouteConfig({ label: "virtualGoods.counter.menu", translationNs: "translation" })

export default CounterPage
