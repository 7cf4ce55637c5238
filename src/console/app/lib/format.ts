/** Money is integer fen in the API and yuan on screen; instants keep the tenant's local time. */

export function money(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  return `${sign}¥${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** Fen as the text of a yuan input ("10.5" stays readable: 1050 → "10.50"). */
export function fenToYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined) return '';
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}

/** Parses a yuan amount with at most two decimals into fen; null when empty, NaN when malformed. */
export function yuanToFen(text: string): number | null {
  const s = text.trim();
  if (s === '') return null;
  const m = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(s);
  if (!m) return Number.NaN;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** "2026-03-01T10:15:00.000+08:00" → "2026-03-01 10:15": the tenant's wall clock, as the API gives it. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  return iso.length >= 16 ? iso.slice(0, 16).replace('T', ' ') : iso;
}

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—';
}

export function percent(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

export function count(n: number | null | undefined, unlimited: string): string {
  return n === null || n === undefined ? unlimited : n.toLocaleString();
}

/** An order id for the cashier: readable, unique enough per till. */
export function newOrderId(now = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${pad(now.getMonth() + 1)}${pad(now.getDate())}${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`;
  return `POS-${stamp}-${Math.floor(Math.random() * 1000).toString().padStart(3, '0')}`;
}
