/**
 * How the console writes figures, one way on every page: shares as percentages with one decimal, money in
 * dollars (four decimals under a dollar, where model spend lives), times as UTC minutes or seconds. A missing
 * figure is written as the caller's word for it ("—" unless the page says "never" or "no cap").
 */
export const percent = (r: number | null, none = "—") => (r === null ? none : `${(r * 100).toFixed(1)}%`);
export const usd = (n: number | null) => (n === null ? "—" : `$${n.toFixed(n < 1 ? 4 : 2)}`);
export const ms = (n: number | null) => (n === null ? "—" : `${n} ms`);
export const count = (n: number) => n.toLocaleString("en-US");

/** An ISO timestamp as "YYYY-MM-DD HH:MM UTC" (or with seconds). */
export function utcTime(iso: string | null, none = "—", precision: "minute" | "second" = "minute"): string {
  if (!iso) return none;
  return `${iso.slice(0, precision === "second" ? 19 : 16).replace("T", " ")} UTC`;
}
