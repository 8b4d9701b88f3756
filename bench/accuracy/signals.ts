// What each candidate signal contributes to the verification stage on the dev set.
import type { CandidateSignal } from '../../src-core/verify/verified-pairs';
import type { DevSet } from './devset';
import { quantile } from './distances';
import { fixed, markdownTable } from './table';
import type { DevVerification } from './verification';

export function signalTable(dev: DevSet, verification: DevVerification): string {
  const groupOf = new Map<string, number>();
  dev.fingerprints.forEach((f, i) => f && groupOf.set(f.digest, dev.files[i]!.group));
  const isTrue = (p: { a: string; b: string }) => groupOf.get(p.a) === groupOf.get(p.b);
  const images = dev.fingerprints.filter((f) => f).length;
  const signals = [...new Set(verification.candidates.flatMap((c) => c.signals))];
  const rows = [...signals.map((s): [string, CandidateSignal[]] => [s, [s]]), ['all signals', signals] as [string, CandidateSignal[]]].map(([name, set]) => {
    const proposes = (p: { signals: CandidateSignal[] }) => p.signals.some((s) => set.includes(s));
    const candidates = verification.candidates.filter(proposes);
    const confirmed = verification.decisions.filter((d) => proposes(d) && d.match);
    return [
      name,
      String(candidates.length),
      fixed(candidates.length / images, 1),
      String(candidates.filter(isTrue).length),
      String(confirmed.filter(isTrue).length),
      String(confirmed.filter((d) => !isTrue(d)).length),
    ];
  });
  const ms = [...verification.pairMs].sort((a, b) => a - b);
  const table = markdownTable(['signal', 'candidate pairs', 'per image', 'true', 'confirmed true', 'confirmed false'], rows, 'lrrrrr');
  return `${table}\n\nVerifier cost per pair (worker-measured, decode of both images included): median ${ms.length ? fixed(quantile(ms, 0.5), 1) : '–'} ms, p90 ${ms.length ? fixed(quantile(ms, 0.9), 1) : '–'} ms over ${ms.length} pairs.`;
}
