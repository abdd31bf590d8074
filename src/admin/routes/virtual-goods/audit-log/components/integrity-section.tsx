import { Badge, Button, Container, Text, toast } from "@medusajs/ui"
import { useTranslation } from "react-i18next"
import { ErrorText, formatDate, formatNumber } from "../../../../components/common"
import { SectionHeader } from "../../../../components/section-header"
import { useAuditChainVerification, useAuditCheckpoints, useSignAuditCheckpoint } from "../../../../hooks/api/audit-logs"
import { errorMessage } from "../../../../lib/utils"

/**
 * The audit log's integrity: verify the hash chains and the signed checkpoints on demand (the first broken link of each
 * chain is named), sign a checkpoint now, and the latest checkpoints with the key that signed them.
 */
export const IntegritySection = () => {
  const { t, i18n } = useTranslation()
  const verification = useAuditChainVerification()
  const { data: checkpoints } = useAuditCheckpoints()
  const sign = useSignAuditCheckpoint()
  const report = verification.data?.audit_chain
  const n = (v: number) => formatNumber(v, i18n.language)

  const signNow = async () => {
    try {
      const { audit_checkpoint } = await sign.mutateAsync()
      toast.success(t("virtualGoods.integrity.signed", { id: audit_checkpoint.id }))
    } catch (e) {
      toast.error(errorMessage(e))
    }
  }

  return (
    <Container className="divide-y p-0" data-testid="audit-integrity">
      <SectionHeader
        title={t("virtualGoods.integrity.title")}
        hint={t("virtualGoods.integrity.hint")}
        actions={
          <div className="flex gap-2">
            <Button size="small" variant="secondary" onClick={signNow} isLoading={sign.isPending} disabled={!checkpoints?.public_key}>
              {t("virtualGoods.integrity.sign")}
            </Button>
            <Button size="small" onClick={() => verification.refetch()} isLoading={verification.isFetching}>
              {t("virtualGoods.integrity.verify")}
            </Button>
          </div>
        }
      />
      {verification.error && <ErrorText className="px-6 py-4">{errorMessage(verification.error)}</ErrorText>}
      {report && (
        <div className="flex flex-col gap-y-2 px-6 py-4" data-testid="audit-verification" data-ok={String(report.ok)}>
          <div className="flex items-center gap-2">
            <Badge size="2xsmall" color={report.ok ? "green" : "red"}>
              {t(report.ok ? "virtualGoods.integrity.ok" : "virtualGoods.integrity.broken")}
            </Badge>
            <Text size="small" className="text-ui-fg-subtle">
              {t("virtualGoods.integrity.counts", { rows: n(report.rows), links: n(report.links), chains: n(report.chains), checkpoints: n(report.checkpoints.verified) })}
            </Text>
          </div>
          {report.first_broken.length > 0 && (
            <ul className="flex flex-col gap-y-1" aria-label={t("virtualGoods.integrity.firstBroken")}>
              {report.first_broken.map((p, i) => (
                <li key={i} className="txt-small font-mono text-ui-fg-error" data-kind={p.kind}>
                  {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <div className="px-6 py-4">
        {!checkpoints?.public_key ? (
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.integrity.noKey")}
          </Text>
        ) : checkpoints.checkpoints.length ? (
          <ul className="flex flex-col gap-y-1" data-testid="audit-checkpoints">
            {checkpoints.checkpoints.map((c) => (
              <li key={c.id} className="txt-small text-ui-fg-subtle" data-checkpoint={c.id}>
                {t("virtualGoods.integrity.checkpoint", { time: formatDate(c.created_at, i18n.language), key: c.key_id, chains: c.heads.length })}
              </li>
            ))}
          </ul>
        ) : (
          <Text size="small" className="text-ui-fg-subtle">
            {t("virtualGoods.integrity.noCheckpoints")}
          </Text>
        )}
      </div>
    </Container>
  )
}
