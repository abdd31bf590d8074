import type { T } from "@lib/i18n"

/** The texts of a codes list, in the page's language. */
export const codeLabels = (t: T) => ({
  masked: t("codes.masked"),
  reveal: t("codes.reveal"),
  revealing: t("codes.revealing"),
  copy: t("codes.copy"),
  copied: t("codes.copied"),
  password: t("codes.password"),
  none: t("codes.none"),
  delivered: t("codes.status.delivered"),
  revealed: t("codes.status.revealed"),
  voided: t("codes.status.voided"),
  expires: t("codes.expires", { date: "{date}" }),
  voucherUses: t("codes.voucher.uses", { n: "{n}", total: "{total}" }),
  voucherValue: t("codes.voucher.value", { value: "{value}", face: "{face}" }),
  voucherUsedUp: t("codes.voucher.usedUp"),
  voucherExpired: t("codes.voucher.expired"),
  voucherLastUsed: t("codes.voucher.lastUsed", { date: "{date}" }),
  voucherQr: t("codes.voucher.qr"),
})

export type CodeLabels = ReturnType<typeof codeLabels>

/** The texts of a guest link's or a receipt's reveal panel. */
export const revealLabels = (t: T) => ({
  button: t("reveal.button"),
  warning: t("reveal.warning"),
  usesLeft: t("reveal.usesLeft", { n: "{n}" }),
  invalid: t("reveal.invalid"),
  copy: t("codes.copy"),
  copied: t("codes.copied"),
  password: t("codes.password"),
  revealing: t("codes.revealing"),
})
