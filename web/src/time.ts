// The tenant's time zone in the console: dates and times are shown, and date-times typed, on
// the desk's clock (the tenant's zone, Europe/Rome unless the administrator changed it), whatever
// zone the browser is set to. Instants go to the server with their offset.

let zone = 'Europe/Rome';

/** Sets the zone of the active tenant (from the viewer). */
export function setTenantTimeZone(name: string | null | undefined) {
  zone = name || 'Europe/Rome';
}

export function tenantTimeZone(): string {
  return zone;
}

/** The local wall-clock fields of an instant in the tenant's zone. */
function parts(instant: number): Record<string, number> {
  const out: Record<string, number> = {};
  const fmt = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  for (const p of fmt.formatToParts(new Date(instant))) {
    if (p.type !== 'literal') out[p.type] = Number(p.value);
  }
  return out;
}

/** Minutes the tenant's zone is ahead of UTC at an instant. */
function offsetAt(instant: number): number {
  const p = parts(instant);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((wall - Math.floor(instant / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');

/**
 * A `YYYY-MM-DDTHH:mm` typed in a form, read on the tenant's clock, as RFC 3339 with its offset
 * (`2027-03-30T10:00:00+02:00`). A time skipped when clocks go forward is read as the hour after.
 */
export function withOffset(local: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return '';
  const [y, mo, d, h, mi] = m.slice(1).map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  let instant = wall - offsetAt(wall) * 60_000;
  instant = wall - offsetAt(instant) * 60_000;
  const p = parts(instant);
  const off = offsetAt(instant);
  const sign = off < 0 ? '-' : '+';
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:00${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`;
}

/** An instant as a form's `YYYY-MM-DDTHH:mm` on the tenant's clock. */
export function localInput(instant: number): string {
  const p = parts(instant);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/**
 * Today on the tenant's clock, `YYYY-MM-DD`: the first day a plan date may take (the server
 * checks it the same way, services/kernel `dates::planned_date`).
 */
export function today(): string {
  const p = parts(Date.now());
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** Today's month on the tenant's clock, `YYYY-MM`. */
export function thisMonth(): string {
  const p = parts(Date.now());
  return `${p.year}-${pad(p.month)}`;
}

/** The month `months` after a `YYYY-MM` month (before it when negative), `YYYY-MM`. */
export function addMonths(month: string, months: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${pad((total % 12 + 12) % 12 + 1)}`;
}

/**
 * The months a period stands for on the server when an end is missing (services/analytics,
 * `Months::of`): it ends with this month on the tenant's clock, and starts eleven months before
 * its end (twelve months, both ends included). `YYYY-MM`.
 */
export function periodShown(period: { from: string | null; to: string | null }): { from: string; to: string } {
  const to = period.to ?? thisMonth();
  return { from: period.from ?? addMonths(to, -11), to };
}
