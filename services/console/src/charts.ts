/** Inline SVG charts (no script, no CDN): line charts of series and stacked bars. Pure. */
import { escapeHtml, Series } from "./views";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04", "#db2777", "#4b5563"];

const niceMax = (v: number) => {
  if (!(v > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return [1, 2, 2.5, 5, 10].map((m) => m * p).find((m) => m >= v)!;
};

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16);

export interface ChartOptions {
  readonly title: string;
  readonly unit: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly format?: (v: number) => string;
  /** Shown instead of the chart when there is nothing to draw. */
  readonly empty?: string;
}

export function lineChart(series: readonly Series[], o: ChartOptions): string {
  const W = 520, H = 180, L = 56, R = 10, T = 24, B = 34;
  const fmt = o.format ?? ((v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2)));
  const pts = series.flatMap((s) => s.points);
  const max = niceMax(Math.max(0, ...pts.map(([, v]) => v)));
  const x = (t: number) => L + ((t - o.fromMs) / Math.max(1, o.toMs - o.fromMs)) * (W - L - R);
  const y = (v: number) => T + (1 - v / max) * (H - T - B);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => `<line x1="${L}" x2="${W - R}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#e5e7eb"/><text x="${L - 4}" y="${y(max * f) + 4}" text-anchor="end" font-size="10" fill="#6b7280">${escapeHtml(fmt(max * f))}</text>`)
    .join("");
  const ticks = [0, 0.5, 1].map((f) => {
    const t = o.fromMs + f * (o.toMs - o.fromMs);
    return `<text x="${x(t)}" y="${H - B + 14}" text-anchor="${f === 0 ? "start" : f === 1 ? "end" : "middle"}" font-size="10" fill="#6b7280">${hhmm(t)}</text>`;
  });
  const lines = series
    .map((s, i) => (s.points.length === 0 ? "" : `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="1.6" points="${s.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(" ")}"/>`))
    .join("");
  const legend = series
    .slice(0, 6)
    .map((s, i) => `<rect x="${L + i * 78}" y="${H - 12}" width="8" height="8" fill="${COLORS[i % COLORS.length]}"/><text x="${L + 11 + i * 78}" y="${H - 4}" font-size="10" fill="#374151">${escapeHtml(s.name.slice(0, 12))}</text>`)
    .join("");
  const note = pts.length === 0 ? `<text x="${(L + W) / 2}" y="${H / 2}" text-anchor="middle" font-size="12" fill="#9ca3af">${escapeHtml(o.empty ?? "no data in this range")}</text>` : "";
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(o.title)}"><text x="${L}" y="14" font-size="12" font-weight="600" fill="#111827">${escapeHtml(o.title)} <tspan fill="#6b7280" font-weight="400">(${escapeHtml(o.unit)})</tspan></text>${grid}${ticks.join("")}<line x1="${L}" x2="${L}" y1="${T}" y2="${H - B}" stroke="#9ca3af"/>${lines}${legend}${note}</svg>`;
}

/** Stacked bars: one bar per x (hour), one segment per group (product). */
export function stackedBars(rows: ReadonlyArray<{ x: number; group: string; value: number }>, o: { title: string; unit: string; maxGroups?: number }): string {
  const W = 760, H = 260, L = 64, R = 130, T = 24, B = 30;
  const totalsByGroup = new Map<string, number>();
  for (const r of rows) totalsByGroup.set(r.group, (totalsByGroup.get(r.group) ?? 0) + r.value);
  const top = [...totalsByGroup].sort((a, b) => b[1] - a[1]).slice(0, o.maxGroups ?? 8).map(([g]) => g);
  const groupOf = (g: string) => (top.includes(g) ? g : "other");
  const groups = [...top, ...(totalsByGroup.size > top.length ? ["other"] : [])];
  const xs = [...new Set(rows.map((r) => r.x))].sort((a, b) => a - b);
  const cell = new Map<string, number>();
  for (const r of rows) cell.set(`${r.x}|${groupOf(r.group)}`, (cell.get(`${r.x}|${groupOf(r.group)}`) ?? 0) + r.value);
  const totals = xs.map((x) => groups.reduce((s, g) => s + (cell.get(`${x}|${g}`) ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const bw = xs.length ? Math.min(48, (W - L - R) / xs.length - 4) : 0;
  const y = (v: number) => T + (1 - v / max) * (H - T - B);
  let bars = "";
  xs.forEach((x, i) => {
    let acc = 0;
    const bx = L + 4 + i * ((W - L - R) / xs.length);
    groups.forEach((g, gi) => {
      const v = cell.get(`${x}|${g}`) ?? 0;
      if (v <= 0) return;
      bars += `<rect x="${bx.toFixed(1)}" y="${y(acc + v).toFixed(1)}" width="${bw.toFixed(1)}" height="${(y(acc) - y(acc + v)).toFixed(1)}" fill="${COLORS[gi % COLORS.length]}"><title>product ${escapeHtml(g)}, ${new Date(x).toISOString().slice(0, 13)}h: ${v.toFixed(2)}</title></rect>`;
      acc += v;
    });
    bars += `<text x="${(bx + bw / 2).toFixed(1)}" y="${H - B + 14}" text-anchor="middle" font-size="10" fill="#6b7280">${new Date(x).toISOString().slice(11, 13)}h</text>`;
  });
  const grid = [0, 0.5, 1].map((f) => `<line x1="${L}" x2="${W - R}" y1="${y(max * f)}" y2="${y(max * f)}" stroke="#e5e7eb"/><text x="${L - 4}" y="${y(max * f) + 4}" text-anchor="end" font-size="10" fill="#6b7280">${(max * f).toFixed(0)}</text>`).join("");
  const legend = groups.map((g, gi) => `<rect x="${W - R + 10}" y="${T + gi * 16}" width="10" height="10" fill="${COLORS[gi % COLORS.length]}"/><text x="${W - R + 24}" y="${T + 9 + gi * 16}" font-size="11" fill="#374151">${g === "other" ? "other" : `product ${escapeHtml(g)}`}</text>`).join("");
  const note = xs.length === 0 ? `<text x="${(L + W - R) / 2}" y="${H / 2}" text-anchor="middle" font-size="12" fill="#9ca3af">no sales in the landed files yet</text>` : "";
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(o.title)}"><text x="${L}" y="14" font-size="12" font-weight="600" fill="#111827">${escapeHtml(o.title)} <tspan fill="#6b7280" font-weight="400">(${escapeHtml(o.unit)})</tspan></text>${grid}${bars}${legend}${note}</svg>`;
}
