/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, and a Content-Security-Policy
 * of `default-src 'none'` so a browser would refuse any external resource that slipped in.
 */
import type { QualityReport } from './quality-report.js';
import { barChart, esc, gauge, pyramidChart } from './svg-charts.js';

const sorted = (counts: Record<string, number>, limit = 15): [string, number][] => Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, limit);

export function renderReportHtml(r: QualityReport): string {
  const d = r.demographics;
  const sections = [
    `<section class="gauges">${gauge('Valid resources', r.quality.validShare)}${gauge('Reference integrity', r.quality.referenceIntegrity)}${gauge('Coding validity', r.quality.codingValidity)}</section>`,
    `<p>${r.resources} resources, ${d.patients} patients (${d.deceased} deceased); validation: ${r.validation.errors} errors, ${r.validation.warnings} warnings, ${r.validation.missingReferences} missing references.</p>`,
    barChart('Resources per type', sorted(r.byType)),
    pyramidChart(d.pyramid),
    barChart('Patients by sex', sorted(d.bySex), { color: '#8b5cf6' }),
    barChart('Patients by state', sorted(d.byState), { color: '#14b8a6' }),
    barChart('Top conditions (patients)', r.topConditions.map((c) => [c.display.slice(0, 28), c.patients]), { color: '#f97316' }),
    barChart('US Core must-support completeness', r.completeness.map((c) => [c.resourceType, c.share]), { share: true, color: '#22c55e' }),
  ];
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>medgen-data quality report</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#111}figure{margin:1.5em 0}figcaption{font-weight:600;margin-bottom:.4em}
svg text{font-size:12px;fill:#111}.gauges{display:flex;gap:2em}.gauge figcaption{text-align:center}</style></head>
<body><h1>medgen-data quality report</h1><p>Generated ${esc(r.generated)}</p>
${sections.join('\n')}
</body></html>
`;
}
