// Number formatting for charts: money when the chart talks about money, plain counts otherwise.
import type { ChartSpec } from "./protocol";

const moneyWords = /\$|balance|payment|premium|cost|amount|spend/i;

/** isMoneyChart reports whether a chart's title or labels suggest its values are dollars. */
export function isMoneyChart(c: ChartSpec): boolean {
  if (moneyWords.test(c.title)) return true;
  return c.data.some((p) => moneyWords.test(p.label) || (p.series !== undefined && moneyWords.test(p.series)));
}

const currency = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" });
const currencyWhole = new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 });

/**
 * formatValue formats one data value: dollars with cents for money; otherwise whole numbers with
 * thousands separators, keeping up to two decimals only when the value has them (a rate of 4.25
 * must not read as 4).
 */
export function formatValue(v: number, money: boolean): string {
  if (money) return currency.format(v);
  return Number.isInteger(v) ? integer.format(v) : decimal.format(v);
}

/** formatTick formats an axis tick: short, since axes have little room. */
export function formatTick(v: number, money: boolean): string {
  if (Math.abs(v) >= 100_000) return (money ? "$" : "") + compact.format(v);
  return money ? currencyWhole.format(v) : integer.format(v);
}

/**
 * metricDisplay shows a dollar metric the way a bank would ("$4,215.37", not "4,215.37 USD"); any
 * other unit stays beside the value.
 */
export function metricDisplay(value: string, unit: string): { value: string; unit: string } {
  const u = unit.trim();
  const m = /^(-?)\$?([\d,]+(?:\.\d+)?)$/.exec(value.trim());
  if (/^(usd|\$)$/i.test(u) && m) return { value: `${m[1]}$${m[2]}`, unit: "" };
  return { value, unit: u };
}
