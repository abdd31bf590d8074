"use client"

import { useTransition } from "react"
import { useRouter } from "next/navigation"
import type { Lang } from "@lib/i18n"
import { chooseLang } from "./actions"

/** English / 中文: the choice is kept in a cookie and the page re-renders in it. */
export default function LangSwitch({ lang }: { lang: Lang }) {
  const router = useRouter()
  const [pending, start] = useTransition()
  const other: Lang = lang === "en" ? "zh-CN" : "en"
  return (
    <button
      className="secondary"
      data-testid="lang-switch"
      disabled={pending}
      onClick={() =>
        start(async () => {
          await chooseLang(other)
          router.refresh()
        })
      }
    >
      {other === "zh-CN" ? "中文" : "English"}
    </button>
  )
}
