/** The backend's message of a failed call (the js-sdk's FetchError carries it), else the error's own. */
export function errorMessage(e: unknown): string {
  if (e && typeof e === "object" && "message" in e && typeof (e as { message: unknown }).message === "string") {
    return (e as { message: string }).message
  }
  return "Something went wrong."
}

/** The HTTP status of a failed backend call, when known. */
export function errorStatus(e: unknown): number | null {
  const status = e && typeof e === "object" ? (e as { status?: unknown }).status : undefined
  return typeof status === "number" ? status : null
}
