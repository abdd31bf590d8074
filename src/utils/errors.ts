/** The message of a thrown value, for a log line or a recorded reason: its `message` when it has one, else the value as text. */
export function errorMessage(e: unknown): string {
  if (typeof e === "object" && e !== null && "message" in e && e.message !== undefined && e.message !== null) return String(e.message)
  return String(e)
}
