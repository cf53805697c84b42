/**
 * Inline SVG charts for the HTML report: no script, no external resource, so the page renders the same
 * offline, in any browser, and under a Content-Security-Policy that forbids everything external.
 */
export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Horizontal bars, one per row, scaled to the largest value (or to 1 for shares). */
export function barChart(title: string, rows: [string, number][], options: { share?: boolean; color?: string } = {}): string {
  const max = options.share ? 1 : Math.max(1, ...rows.map(([, v]) => v));
  const h = 22;
  const bars = rows
    .map(([label, v], i) => {
      const w = Math.max(1, (v / max) * 360);
      return `<g transform="translate(0,${i * h})"><text x="190" y="15" text-anchor="end">${esc(label)}</text><rect x="200" y="3" width="${w.toFixed(1)}" height="16" rx="3" fill="${options.color ?? '#3b82f6'}"/><text x="${(206 + w).toFixed(1)}" y="15">${options.share ? pct(v) : v}</text></g>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 640 ${rows.length * h + 4}" width="640">${bars}</svg></figure>`;
}

/** Age pyramid: males to the left, females to the right of a centre line, one band per row. */
export function pyramidChart(rows: { band: string; male: number; female: number }[]): string {
  const max = Math.max(1, ...rows.flatMap((r) => [r.male, r.female]));
  const h = 20;
  const bars = [...rows]
    .reverse()
    .map((r, i) => {
      const m = (r.male / max) * 250;
      const f = (r.female / max) * 250;
      return `<g transform="translate(0,${i * h})"><rect x="${(300 - m).toFixed(1)}" y="2" width="${m.toFixed(1)}" height="16" fill="#60a5fa"/><rect x="340" y="2" width="${f.toFixed(1)}" height="16" fill="#f472b6"/><text x="320" y="15" text-anchor="middle">${esc(r.band)}</text><text x="${(296 - m).toFixed(1)}" y="15" text-anchor="end">${r.male}</text><text x="${(344 + f).toFixed(1)}" y="15">${r.female}</text></g>`;
    })
    .join('');
  return `<figure><figcaption>Age pyramid (blue male, pink female)</figcaption><svg class="chart" role="img" aria-label="Age pyramid" viewBox="0 0 640 ${rows.length * h + 4}" width="640">${bars}</svg></figure>`;
}

/** A ring gauge for a share from 0 to 1. */
export function gauge(title: string, share: number): string {
  const r = 40;
  const c = 2 * Math.PI * r;
  const color = share >= 0.95 ? '#16a34a' : share >= 0.8 ? '#f59e0b' : '#dc2626';
  return `<figure class="gauge"><svg class="chart" role="img" aria-label="${esc(title)}" viewBox="0 0 100 100" width="120"><circle cx="50" cy="50" r="${r}" fill="none" stroke="#e5e7eb" stroke-width="12"/><circle cx="50" cy="50" r="${r}" fill="none" stroke="${color}" stroke-width="12" stroke-dasharray="${(share * c).toFixed(2)} ${c.toFixed(2)}" transform="rotate(-90 50 50)"/><text x="50" y="55" text-anchor="middle" font-size="16">${pct(share)}</text></svg><figcaption>${esc(title)}</figcaption></figure>`;
}
