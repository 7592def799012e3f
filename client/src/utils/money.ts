// Display-only money formatting via the domain core (core/money.ts, pure). Amounts are integer fen from the
// server; the client never computes an authoritative price. A malformed amount shows as 0.00 instead of
// crashing the page (core's formatFen throws on non-integers).
import { formatFen as coreFormatFen } from '@core/money';

export function formatFen(fen: number): string {
  return coreFormatFen(Number.isSafeInteger(fen) ? fen : 0);
}
