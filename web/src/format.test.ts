import { describe, expect, it } from "vitest";
import { formatTick, formatValue, isMoneyChart, metricDisplay } from "./format";
import { contrast, onColor, parseHex, themeVariables } from "./theme";
import type { ChartSpec } from "./protocol";

const chart = (title: string, labels: string[] = ["Jan"]): ChartSpec => ({
  chart_type: "bar",
  title,
  data: labels.map((label) => ({ label, value: 1 })),
});

describe("isMoneyChart", () => {
  it.each([
    ["Checking balance", [], true],
    ["Monthly premium", [], true],
    ["Spending by category", [], true],
    ["Cost of care ($)", [], true],
    ["Visits per month", ["Jan", "Feb"], false],
    ["Breakdown", ["Payment", "Other"], true],
    ["Credit score", [], false],
  ])("%s", (title, labels, want) => {
    expect(isMoneyChart(chart(title, labels as string[]))).toBe(want);
  });
});

describe("formatValue", () => {
  it.each([
    [4821.33, true, "$4,821.33"],
    [1200, true, "$1,200.00"],
    [1234567, false, "1,234,567"],
    [4.25, false, "4.25"],
    [-75.5, true, "-$75.50"],
  ])("formatValue(%d, %s) = %s", (v, money, want) => {
    expect(formatValue(v, money)).toBe(want);
  });

  it.each([
    [4821.33, true, "$4,821"],
    [250000, true, "$250K"],
    [999, false, "999"],
  ])("formatTick(%d, %s) = %s", (v, money, want) => {
    expect(formatTick(v, money)).toBe(want);
  });
});

describe("theme", () => {
  it("computes WCAG contrast", () => {
    expect(contrast("#000000", "#ffffff")).toBeCloseTo(21, 5);
    expect(contrast("#777777", "#ffffff")).toBeCloseTo(4.48, 2);
  });

  it.each(["#0b5fff", "#ffd400", "#1f7a4d", "#e11d48", "#f5f5f5", "#6b7280", "#14b8a6"])(
    "text on %s meets AA",
    (bg) => {
      expect(contrast(bg, onColor(bg))).toBeGreaterThanOrEqual(4.5);
    },
  );

  it("parses short and long hex and rejects junk", () => {
    expect(parseHex("#abc")).toEqual([170, 187, 204]);
    expect(parseHex("#0A0b0C")).toEqual([10, 11, 12]);
    expect(parseHex("red")).toBeNull();
  });

  it("falls back for invalid colours", () => {
    const v = themeVariables({ primary: "nope", secondary: "#000000", background: "#fff", surface: "#fff", text: "#000", text_muted: "#555" });
    expect(v["--color-primary"]).toBe("#4f46e5");
    expect(v["--color-on-secondary"]).toBe("#ffffff");
  });
});

describe("metricDisplay", () => {
  it("puts the dollar sign in front of USD amounts", () => {
    expect(metricDisplay("4,215.37", "USD")).toEqual({ value: "$4,215.37", unit: "" });
    expect(metricDisplay("-12.50", "$")).toEqual({ value: "-$12.50", unit: "" });
  });
  it("keeps other units and values that are not plain numbers", () => {
    expect(metricDisplay("2,113", "pts")).toEqual({ value: "2,113", unit: "pts" });
    expect(metricDisplay("Gold", "USD")).toEqual({ value: "Gold", unit: "USD" });
  });
  it("does not double a dollar sign the value already has", () => {
    expect(metricDisplay("$980.00", "USD")).toEqual({ value: "$980.00", unit: "" });
  });
});
