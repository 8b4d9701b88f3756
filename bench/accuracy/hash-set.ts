// Hashes a set's images as `doppel scan` does, with embedding codes and local features (which
// `doppel hash` leaves out), one JSON line a file as `doppel hash --json` prints them.
import { hashAll, printJsonLine } from '../../src-main/cli/hash-command';

await hashAll(process.argv.slice(2), 'product', undefined, (outcome) => process.stdout.write(printJsonLine(outcome)), undefined, { embedding: true, localFeaturesUpTo: Infinity });
