"use client"

import { useState } from "react"

export default function CopyButton({ text, labels }: { text: string; labels: { copy: string; copied: string } }) {
  const [done, setDone] = useState(false)
  return (
    <button
      className="secondary"
      data-testid="copy-code"
      onClick={async () => {
        await navigator.clipboard?.writeText(text).catch(() => undefined)
        setDone(true)
        setTimeout(() => setDone(false), 1500)
      }}
    >
      {done ? labels.copied : labels.copy}
    </button>
  )
}
