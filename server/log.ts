/**
 * Structured logs (one JSON line each, readable in the CloudBase console). `alert: true` marks entries an
 * operator must look at (forged or mismatched payments, payments on closed orders).
 */
export function logError(where: string, e: unknown): void {
  const err = e as { message?: string; stack?: string };
  console.error(JSON.stringify({ level: 'error', where, message: err?.message ?? String(e), stack: err?.stack }));
}

export function logEvent(event: string, detail: Record<string, unknown>): void {
  const line = JSON.stringify({ level: detail.alert ? 'warn' : 'info', event, ...detail });
  if (detail.alert) console.warn(line);
  else console.log(line);
}
