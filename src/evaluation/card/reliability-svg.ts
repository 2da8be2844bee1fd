import type { CalibrationReport } from '../evaluation-report.js';

/**
 * A reliability diagram as a standalone SVG: observed positive rate against mean predicted probability per bin
 * (dots sized by row count, joined by a line), the diagonal of perfect calibration, and the ECE in the title.
 * Plain SVG 1.1 with no scripts or external references, so it is safe to open and to embed.
 */
export function reliabilitySvg(calibration: CalibrationReport, title = 'Reliability'): string {
  const size = 320;
  const pad = 44;
  const inner = size - 2 * pad;
  const x = (v: number): number => pad + v * inner;
  const y = (v: number): number => size - pad - v * inner;
  const maxCount = Math.max(1, ...calibration.bins.map((b) => b.count));
  const points = calibration.bins.map((b) => `${x(b.mean_predicted).toFixed(1)},${y(b.observed_rate).toFixed(1)}`);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}" font-family="sans-serif" font-size="11">`,
    `<rect width="${size}" height="${size}" fill="#ffffff"/>`,
    `<text x="${size / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)} (ECE ${calibration.ece.value.toFixed(4)})</text>`,
    ...ticks.flatMap((t) => [
      `<line x1="${x(t)}" y1="${y(0)}" x2="${x(t)}" y2="${y(1)}" stroke="#eeeeee"/>`,
      `<line x1="${x(0)}" y1="${y(t)}" x2="${x(1)}" y2="${y(t)}" stroke="#eeeeee"/>`,
      `<text x="${x(t)}" y="${y(0) + 14}" text-anchor="middle">${t}</text>`,
      `<text x="${x(0) - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`,
    ]),
    `<rect x="${x(0)}" y="${y(1)}" width="${inner}" height="${inner}" fill="none" stroke="#888888"/>`,
    `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#999999" stroke-dasharray="4 3"/>`,
    points.length > 1 ? `<polyline points="${points.join(' ')}" fill="none" stroke="#1f77b4" stroke-width="1.5"/>` : '',
    ...calibration.bins.map((b) => `<circle cx="${x(b.mean_predicted).toFixed(1)}" cy="${y(b.observed_rate).toFixed(1)}" r="${(2.5 + 4 * Math.sqrt(b.count / maxCount)).toFixed(1)}" fill="#1f77b4"><title>[${b.lower.toFixed(2)}, ${b.upper.toFixed(2)}): ${b.count} rows, predicted ${b.mean_predicted.toFixed(3)}, observed ${b.observed_rate.toFixed(3)}</title></circle>`),
    `<text x="${size / 2}" y="${size - 8}" text-anchor="middle">mean predicted probability</text>`,
    `<text x="12" y="${size / 2}" text-anchor="middle" transform="rotate(-90 12 ${size / 2})">observed rate</text>`,
    '</svg>',
  ];
  return `${parts.filter((p) => p !== '').join('\n')}\n`;
}
