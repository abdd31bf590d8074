import { Input, Label, Select } from "@medusajs/ui"
import type { ComponentProps, ReactNode } from "react"

type InputFieldProps = Omit<ComponentProps<typeof Input>, "id"> & {
  id: string
  label: ReactNode
  /** Small labels for a compact filter row. */
  labelSize?: "xsmall"
  /** Classes of the label-and-input column. */
  className?: string
  inputClassName?: string
}

/** A labelled input (the label names it for assistive technology and tests). */
export const InputField = ({ id, label, labelSize, className = "flex flex-col gap-y-2", inputClassName, ...input }: InputFieldProps) => (
  <div className={className}>
    <Label htmlFor={id} size={labelSize}>
      {label}
    </Label>
    <Input id={id} className={inputClassName} {...input} />
  </div>
)

type SelectFieldProps<V extends string> = {
  label: string
  value: V
  onChange: (value: V) => void
  options: readonly { value: V; label: ReactNode }[]
  /** Shows the label above the select; otherwise the label only names the trigger. */
  showLabel?: boolean
  labelSize?: "xsmall"
  size?: "small" | "base"
  className?: string
  triggerClassName?: string
}

/** A select of fixed options whose trigger is named by the label (shown above it, or not). */
export const SelectField = <V extends string>({ label, value, onChange, options, showLabel = true, labelSize, size, className = "flex flex-col gap-y-2", triggerClassName }: SelectFieldProps<V>) => {
  const choose = (v: string) => {
    const option = options.find((o) => o.value === v)
    if (option) onChange(option.value)
  }
  const select = (
    <Select size={size} value={value} onValueChange={(v) => choose(v)}>
      <Select.Trigger className={triggerClassName} aria-label={label}>
        <Select.Value />
      </Select.Trigger>
      <Select.Content>
        {options.map((o) => (
          <Select.Item key={o.value} value={o.value}>
            {o.label}
          </Select.Item>
        ))}
      </Select.Content>
    </Select>
  )
  if (!showLabel) return select
  return (
    <div className={className}>
      <Label size={labelSize}>{label}</Label>
      {select}
    </div>
  )
}
