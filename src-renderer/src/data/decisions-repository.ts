// The person's review decisions as stored. Each is keyed by content (digests) so it survives
// re-scans and moves; marks and keeper choices name their file's path too. The ids below are
// the stored format: existing databases hold them, so they never change without a migration.
import { orderedPair } from '../../../src-core/verify/verified-pairs';
import type { ContentRef } from '../review/content-decisions';
import type { DecisionRow, DoppelDb } from './db';

/** Decisions about one file: marked for deletion, or chosen as its group's keeper. */
export type FileDecisionKind = 'mark' | 'keeper';

/** Two contents the person said are not duplicates, in either order: "a|b" with a < b. (The
 *  verifier's verdicts key a pair "a:b": a different stored format for a different table.) */
export const notDuplicateKey = (a: string, b: string): string => orderedPair(a, b).join('|');

export const fileDecisionId = (kind: FileDecisionKind, ref: ContentRef): string => `${kind}:${ref.digest}:${ref.path}`;
const notDuplicateId = (a: string, b: string) => `not-duplicate:${notDuplicateKey(a, b)}`;

const fileDecisionRow = (kind: FileDecisionKind, ref: ContentRef): DecisionRow => ({ id: fileDecisionId(kind, ref), kind, digests: [ref.digest], value: ref.path, at: Date.now() });

export class DecisionsRepository {
  constructor(private readonly db: DoppelDb) {}

  all(): Promise<DecisionRow[]> {
    return this.db.decisions.toArray();
  }

  async put(kind: FileDecisionKind, ref: ContentRef): Promise<void> {
    await this.db.decisions.put(fileDecisionRow(kind, ref));
  }

  async remove(kind: FileDecisionKind, ref: ContentRef): Promise<void> {
    await this.db.decisions.delete(fileDecisionId(kind, ref));
  }

  /** In one transaction: deletes the decisions `removedIds` and stores `added`. */
  async replace(kind: FileDecisionKind, removedIds: readonly string[], added: readonly ContentRef[]): Promise<void> {
    await this.db.transaction('rw', this.db.decisions, async () => {
      await this.db.decisions.bulkDelete([...removedIds]);
      await this.db.decisions.bulkPut(added.map((ref) => fileDecisionRow(kind, ref)));
    });
  }

  async putNotDuplicate(digests: readonly [string, string]): Promise<void> {
    await this.db.decisions.put({ id: notDuplicateId(...digests), kind: 'not-duplicate', digests: [...digests], at: Date.now() });
  }

  async removeNotDuplicate(digests: readonly [string, string]): Promise<void> {
    await this.db.decisions.delete(notDuplicateId(...digests));
  }

  /** These contents form a group of their own (the cluster worker reads every split). */
  async putSplit(digests: readonly string[]): Promise<void> {
    const sorted = [...new Set(digests)].sort();
    await this.db.decisions.put({ id: `split:${sorted.join(',')}`, kind: 'split', digests: sorted, at: Date.now() });
  }
}
