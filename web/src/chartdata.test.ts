import { describe, expect, it } from "vitest";
import { palette, toChartData } from "./chartdata";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { hasIcon } from "./icons";

describe("toChartData", () => {
  it("keeps a single series in order", () => {
    const d = toChartData({ chart_type: "line", title: "Checking balance", data: [{ label: "Jan", value: 1 }, { label: "Feb", value: 2 }] });
    expect(d).toEqual({ labels: ["Jan", "Feb"], series: [{ name: "", values: [1, 2] }] });
  });

  it("aligns several series on the union of labels", () => {
    const d = toChartData({
      chart_type: "line",
      title: "Balances",
      data: [
        { label: "Jan", value: 10, series: "Checking" },
        { label: "Feb", value: 11, series: "Checking" },
        { label: "Feb", value: 20, series: "Savings" },
        { label: "Mar", value: 21, series: "Savings" },
      ],
    });
    expect(d.labels).toEqual(["Jan", "Feb", "Mar"]);
    expect(d.series).toEqual([
      { name: "Checking", values: [10, 11, null] },
      { name: "Savings", values: [null, 20, 21] },
    ]);
  });
});

describe("palette", () => {
  it("starts with the theme colours and gives distinct colours", () => {
    const p = palette("#0b5fff", "#14b8a6", 6);
    expect(p.slice(0, 2)).toEqual(["#0b5fff", "#14b8a6"]);
    expect(new Set(p).size).toBe(6);
    for (const c of p) expect(c).toMatch(/^#[0-9a-f]{6}$/i);
  });
});

describe("icons", () => {
  it("draws every icon name the Go modes package allows", () => {
    const src = readFileSync(fileURLToPath(new URL("../../internal/modes/mode.go", import.meta.url)), "utf8");
    const block = /var IconNames = \[\]string\{([^}]*)\}/.exec(src);
    expect(block).not.toBeNull();
    const names = [...block![1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!);
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !hasIcon(n))).toEqual([]);
    expect(hasIcon("no-such-icon")).toBe(false);
  });
});
