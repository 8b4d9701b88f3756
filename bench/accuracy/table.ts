// Markdown tables, padded so they also read well in a terminal.

/** `align` has one letter per column: 'l' (text) or 'r' (numbers). */
export function markdownTable(header: string[], rows: string[][], align: string): string {
  const widths = header.map((h, c) => Math.max(3, h.length, ...rows.map((r) => r[c]!.length)));
  const pad = (cell: string, c: number) => (align[c] === 'r' ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!));
  const rule = widths.map((w, c) => (align[c] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [header.map(pad), rule, ...rows.map((r) => r.map(pad))].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

export const fixed = (x: number, digits = 3) => x.toFixed(digits);
export const passFail = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
