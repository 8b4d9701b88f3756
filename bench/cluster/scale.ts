// npm run bench:scale -- [--sizes 10000,100000,1000000] [--from-lines N]
// Index + clustering of synthetic PDQ fingerprints (planted near-duplicate groups, some
// dihedral, exact copies, low-information images, and a 20,000-frame burst from 100k up).
// Each size runs in its own process so its peak memory is its own. Then the record path:
// `doppel cluster --from` over the largest size as JSON lines, against the same in memory
// (from-lines.ts; --from-lines N sets its size, 0 skips it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

interface Result {
  n: number;
  clusterSeconds: number;
  peakRssMb: number;
  candidatePairs: number;
  components: number;
  largestComponent: number;
  notes: string[];
  planted: number;
  recalled: number;
  cutMsMedian: number;
  candidateSeconds: number;
  verificationCandidates: number;
  bruteSeconds?: number;
  featureBytesPerPhoto: number;
  featureSeconds: number;
  featureRssMb: number;
  featurePairs: number;
  featureRecalled: number;
  featureSkipped: boolean;
  bruteExtrapolated: boolean;
  indexMatchesBruteForce?: boolean;
}

const HERE = fileURLToPath(new URL('.', import.meta.url));
const { values } = parseArgs({ options: { sizes: { type: 'string', default: '10000,100000,1000000' }, 'from-lines': { type: 'string' } } });
const sizes = values.sizes.split(',').map(Number);
/** Fingerprints for the record path (doppel cluster --from JSON lines): the largest size unless given; 0 skips it. */
const fromLines = Number(values['from-lines'] ?? Math.max(...sizes));

const results: Result[] = sizes.map((n) => {
  process.stderr.write(`bench:scale: N = ${n.toLocaleString('en-US')} …\n`);
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'scale-run.ts'), String(n)], { encoding: 'utf8', maxBuffer: 16 << 20 });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Result;
});

console.log('| N | index + clustering (s) | peak RSS (MB) | candidate pairs | components | largest | slider re-cut (ms, median) | planted pairs recalled | brute force (s) | index speed-up | verification candidate search (s) | pairs to verify |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) {
  const brute = r.bruteSeconds === undefined ? '—' : `${r.bruteSeconds.toFixed(1)}${r.bruteExtrapolated ? ' (extrapolated)' : ''}`;
  const speedUp = r.bruteSeconds === undefined ? '—' : `${(r.bruteSeconds / r.clusterSeconds).toFixed(0)}×`;
  console.log(`| ${r.n.toLocaleString('en-US')} | ${r.clusterSeconds.toFixed(2)} | ${r.peakRssMb.toFixed(0)} | ${r.candidatePairs.toLocaleString('en-US')} | ${r.components.toLocaleString('en-US')} | ${r.largestComponent.toLocaleString('en-US')} | ${r.cutMsMedian.toFixed(2)} | ${r.recalled}/${r.planted} | ${brute} | ${speedUp} | ${r.candidateSeconds.toFixed(1)} | ${r.verificationCandidates.toLocaleString('en-US')} |`);
}
console.log('\n| N | local features: bytes a photo | codes (MB) | candidate search (s) | RSS added (MB) | pairs proposed | of 1,000 planted pairs sharing 8 |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of results) console.log(r.featureSkipped ? `| ${r.n.toLocaleString('en-US')} | ${r.featureBytesPerPhoto} | — | skipped (over maxFeaturePhotos) | — | — | — |` : `| ${r.n.toLocaleString('en-US')} | ${r.featureBytesPerPhoto} | ${((r.featureBytesPerPhoto * r.n) / 1e6).toFixed(0)} | ${r.featureSeconds.toFixed(1)} | ${r.featureRssMb.toFixed(0)} | ${r.featurePairs.toLocaleString('en-US')} | ${r.featureRecalled} |`);
for (const r of results) {
  if (r.indexMatchesBruteForce !== undefined) console.log(`\nN = ${r.n}: index pairs ${r.indexMatchesBruteForce ? 'equal' : 'DIFFER FROM'} brute force (exact recall check).`);
  for (const note of r.notes) console.log(`N = ${r.n}: ${note}`);
}
const byN = new Map(results.map((r) => [r.n, r]));
const big = byN.get(1_000_000);
const mid = byN.get(100_000);
if (big) console.log(`\n1M: ${big.clusterSeconds.toFixed(1)} s (target < 30 s), ${big.peakRssMb.toFixed(0)} MB (target < 2000 MB)`);
if (big && mid) console.log(`time(1M)/time(100k) = ${(big.clusterSeconds / mid.clusterSeconds).toFixed(1)} (target ≤ 15)`);
if (fromLines > 0) console.log(execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'from-lines.ts'), String(fromLines)], { encoding: 'utf8', maxBuffer: 16 << 20 }));
