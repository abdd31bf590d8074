"use client"

import { useEffect, useState, useTransition, type FormEvent } from "react"
import { setTopUpRecipient } from "@lib/data/topup"
import { checkRecipient, problemMessage, type FieldProblem, type TopUpField } from "./topup-recipient"

export type TopUpRecipientLabels = {
  title: string
  hint: string
  save: string
  saving: string
  change: string
  cancel: string
  optional: string
  /** Before the recipient's mask ("Top-up to:"). */
  saved: string
  /** With `{label}` (and `{n}` for the lengths). */
  required: string
  minLength: string
  maxLength: string
  pattern: string
  generic: string
}

type Props = {
  lineId: string
  fields: TopUpField[]
  /** The recipient's mask when the line has one (from its metadata). */
  masked: string | null
  labels: TopUpRecipientLabels
}

/**
 * The recipient of one top-up line: the product's fields, checked here as the backend checks them (pattern, lengths,
 * required) for immediate feedback, then sent to the backend, which decides — its refusal is shown as it is. Once set,
 * only the mask is shown, with Change (an empty form: the full value is never shown again). The values live in the
 * form's inputs only: never kept in state, logged or put in a URL.
 */
export default function TopUpRecipientForm({ lineId, fields, masked: initialMask, labels }: Props) {
  const [masked, setMasked] = useState<string | null>(initialMask)
  const [editing, setEditing] = useState(initialMask === null)
  const [problems, setProblems] = useState<FieldProblem[]>([])
  const [error, setError] = useState<string | null>(null)
  const [ready, setReady] = useState(false)
  const [pending, startTransition] = useTransition()

  // The form submits through its handler only: until the page is interactive, Save stays disabled.
  useEffect(() => setReady(true), [])
  useEffect(() => {
    if (initialMask !== null) setMasked(initialMask)
  }, [initialMask])

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault()
    const form = new FormData(e.currentTarget)
    const given: Record<string, string> = {}
    for (const f of fields) given[f.key] = String(form.get(`recipient-${f.key}`) ?? "")
    const { values, problems: found } = checkRecipient(fields, given)
    setProblems(found)
    setError(null)
    if (found.length) return
    startTransition(async () => {
      let res: Awaited<ReturnType<typeof setTopUpRecipient>>
      try {
        res = await setTopUpRecipient(lineId, values)
      } catch {
        res = { error: labels.generic }
      }
      if (res.recipient) {
        setMasked(res.recipient.masked)
        setEditing(false)
      } else {
        setError(res.error ?? labels.generic)
      }
    })
  }

  if (!editing && masked !== null) {
    return (
      <div className="row" data-testid="topup-recipient" data-line-id={lineId}>
        <span>
          {labels.saved}{" "}
          <span className="code" data-testid="topup-recipient-masked">
            {masked}
          </span>
        </span>
        <button type="button" className="secondary" onClick={() => setEditing(true)} data-testid="topup-recipient-change">
          {labels.change}
        </button>
      </div>
    )
  }

  const problemOf = (key: string) => problems.find((p) => p.key === key)
  return (
    <form method="post" noValidate onSubmit={submit} data-testid="topup-recipient-form" data-line-id={lineId}>
      <p style={{ margin: "4px 0" }}>
        <strong>{labels.title}</strong> <span className="muted">{labels.hint}</span>
      </p>
      {fields.map((f) => {
        const id = `recipient-${lineId}-${f.key}`
        const problem = problemOf(f.key)
        return (
          <div key={f.key}>
            <label htmlFor={id}>
              {f.label || f.key}
              {f.required === false ? <span className="muted"> {labels.optional}</span> : null}
            </label>
            <input
              id={id}
              name={`recipient-${f.key}`}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={problem ? true : undefined}
              aria-describedby={problem ? `${id}-problem` : undefined}
              data-testid={`topup-recipient-${f.key}`}
            />
            {problem ? (
              <p className="error" id={`${id}-problem`} style={{ margin: "4px 0" }}>
                {problemMessage(problem, labels)}
              </p>
            ) : null}
          </div>
        )
      })}
      <div className="actions row" style={{ justifyContent: "flex-start" }}>
        <button type="submit" disabled={!ready || pending} data-testid="topup-recipient-save">
          {pending ? labels.saving : labels.save}
        </button>
        {masked !== null ? (
          <button
            type="button"
            className="secondary"
            disabled={pending}
            onClick={() => {
              setProblems([])
              setError(null)
              setEditing(false)
            }}
          >
            {labels.cancel}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="error" role="alert" data-testid="topup-recipient-error">
          {error}
        </p>
      ) : null}
    </form>
  )
}
