// The renderer's database: the single source of truth for watched roots, files, fingerprints
// and review decisions. Main only watches and hashes; everything it reports lands here.
import type { FileCounts } from './file-counts';
import Dexie, { type DexieOptions, type EntityTable, type Table } from 'dexie';
import type { CompanionResult, RootOptions } from '../../../src-core/api';
import type { Companion } from '../../../src-core/companions/discover';
import type { GroupedFile } from '../../../src-core/cluster/groups';
import type { PairArrays } from '../../../src-core/similarity/pair-buffer';
import type { Fingerprint, HashErrorInfo } from '../../../src-core/fingerprint';
import type { KeeperRuleSetting, PreferredFormat } from '../../../src-core/keeper';
import type { VerifiedEdge } from '../../../src-core/cluster/clustering';
import type { SimilarShot } from '../../../src-core/verify/similar-shots';
import type { PairDecision } from '../../../src-core/verify/verified-pairs';

export interface RootRow {
  path: string;
  options: RootOptions;
  addedAt: number;
  /** When the last initial scan of this root finished (its `ready` event). */
  lastScanAt?: number;
}

/** `missing`: the file's root is unreachable (an unmounted drive); it keeps what it was
 *  hashed as in `missingDigest` and comes back unchanged when the root does. */
export type FileStatus = 'pending' | 'hashed' | 'failed' | 'missing';

export interface FileRow {
  path: string;
  root: string;
  size: number;
  mtimeMs: number;
  /** Set only while `status` is `hashed`: the content this size and mtime were hashed as. */
  digest?: string;
  /** Set only while `status` is `missing`: the digest it had (out of the `digest` index, so
   *  offline files are in no group). */
  missingDigest?: string;
  status: FileStatus;
  error?: HashErrorInfo;
  /** When the watcher reported this size and mtime (rows of unchanged files are not rewritten). */
  seenAt: number;
  /** The physical file this path leads to (FileSeen.fileId): rows sharing one are one photo
   *  under several names. Not indexed; absent in rows the watcher has not reported one for. */
  fileId?: string;
  /** The path is a symbolic link (set only when true). */
  symlink?: true;
  /** Its XMP sidecars, Takeout JSON and Live Photo video as the watcher listed them (not
   *  indexed: rows without it need no migration). */
  companions?: Companion[];
}

/** Content facts, shared by every path holding these bytes. */
export type FingerprintRow = Omit<Fingerprint, 'path' | 'mtimeMs'>;

/** Up to FINGERPRINT_BLOCK_SIZE fingerprints packed for the similarity index (see blocks.ts). */
export interface FingerprintBlock {
  id?: number;
  digests: string[];
  quality: Uint8Array;
  /** 8 words × `variants` hashes per digest, as `packHashes(DEFAULT_METHOD, …)` lays them out. */
  pdq: Uint32Array;
  /** Hashes per digest; absent in blocks written before the window hashes (8: the dihedral
   *  variants only). */
  variants?: number;
  /** The verification stage's candidate signals (see blocks.ts SignalCodes), absent in blocks
   *  written before it: 2 words of aHash and 8 of embedding code per digest, and per digest
   *  which of them it has (SIGNAL_AHASH | SIGNAL_EMBEDDING). */
  signals?: Uint32Array;
  signalFlags?: Uint8Array;
}

/** The verification stage's decision on a candidate pair of contents (pairKey(a, b)). */
export interface VerdictRow extends PairDecision {
  key: string;
  /** 1 when `match` (IndexedDB cannot index booleans): clustering reads only these. */
  matched: 0 | 1;
  at: number;
}

export interface DecisionRow {
  id: string;
  kind: 'keeper' | 'mark' | 'not-duplicate' | 'split';
  digests: string[];
  value?: string | number | boolean;
  at: number;
}

export interface ActionFile {
  path: string;
  size: number;
  mtimeMs: number;
  digest: string;
  /** Destination of a move-to-folder action (undo moves it back). */
  to?: string;
  /** The id main's move journal gave the move: restore takes only these. Actions recorded
   *  before main kept a journal have none (put those back by hand, from the manifest). */
  moveId?: string;
  state?: 'done' | 'failed';
  error?: string;
  /** Its companions that went with it or stayed (ActionResult.companions): size and digest as
   *  main checked them, for restoring them from the trash. */
  companions?: CompanionResult[];
}

export interface ActionRow {
  id?: number;
  kind: 'trash' | 'move';
  at: number;
  state: 'started' | 'done' | 'failed';
  files: ActionFile[];
  /** When the moved or trashed files were put back (a trash action: all of them). */
  restoredAt?: number;
}

/** Written in the same transaction as every change to the library that can change its groups
 *  (files hashed, moved or removed; new fingerprints). */
export interface ChangeStampRow {
  id: 'library-changed';
  at: number;
}

/** What the last full re-cluster found: the contents that can be in a group (a similar partner
 *  or a second copy) with their packed hashes and pairs, and the files holding them with what the groups
 *  show, so opening the app clusters only these, at once, reading nothing else. `basedOn` is
 *  the change stamp the clustering saw: a stale snapshot is shown and then replaced. */
export interface ClusterSnapshotRow {
  id: 'cluster-snapshot';
  involved: Omit<FingerprintBlock, 'id'>;
  /** Candidate pairs between rows of `involved`. */
  pairs: PairArrays;
  files: GroupedFile[];
  /** Pairs the verifier confirmed between contents of `involved`. */
  verified?: VerifiedEdge[];
  /** Files with a fingerprint then. */
  photos: number;
  basedOn: number;
  at: number;
}

/** How groups choose keepers, treat RAW/HEIC/JPEG pairs and protect folders (FolderPreferences). */
export interface SettingsRow {
  id: 'settings';
  preferFormat?: PreferredFormat;
  pairsAreDuplicates?: boolean;
  /** Reference folders: their files are kept, never suggested, and main refuses to delete them. */
  protectedFolders?: string[];
  /** Compute image embeddings while hashing (a candidate signal for crops and screenshots);
   *  unset: EMBEDDINGS_BY_DEFAULT. */
  compareContent?: boolean;
  /** The keeper rules in the person's order, each on or off; unset: the default order. Read
   *  through normaliseKeeperRules (a later version may add rules). */
  keeperRules?: KeeperRuleSetting[];
  /** Folders the person said not to offer protecting again (after keeping copies from them). */
  dismissedProtectOffers?: string[];
}

export { EMBEDDINGS_BY_DEFAULT } from '../../../src-core/verify/candidates';

/** What the last candidate search found: rejected pairs that are moments of one scene. */
export interface SimilarShotsRow {
  id: 'similar-shots';
  shots: SimilarShot[];
}

/** The files of each root by status, moved by every write to `files` in the same transaction
 *  (see file-counts.ts). Databases from before it are counted once. */
export interface FileCountsRow {
  id: 'file-counts';
  byRoot: Record<string, FileCounts>;
}

export type MetaRow = ChangeStampRow | ClusterSnapshotRow | SettingsRow | SimilarShotsRow | FileCountsRow;

export async function loadSettings(db: DoppelDb): Promise<SettingsRow> {
  const row = await db.meta.get('settings');
  return row?.id === 'settings' ? row : { id: 'settings' };
}

/**
 * Every schema version, oldest first: a version lists only the tables it changes (Dexie keeps
 * the others). Append new versions here; never edit a released one.
 */
export const SCHEMA_VERSIONS: ReadonlyArray<{ version: number; stores: Record<string, string> }> = [
  {
    version: 1,
    stores: {
      roots: 'path',
      files: 'path, root, digest, status',
      fingerprints: 'digest',
      fingerprintBlocks: '++id',
      decisions: 'id, *digests',
      actions: '++id, state',
    },
  },
  // Per-root status counts for the UI without reading every row of the root.
  { version: 2, stores: { files: 'path, root, digest, status, [root+status]' } },
  // The change stamp and the last clustering's snapshot, so a big library opens with groups.
  { version: 3, stores: { meta: 'id' } },
  { version: 4, stores: { verdicts: 'key, matched' } },
];

export class DoppelDb extends Dexie {
  roots!: EntityTable<RootRow, 'path'>;
  files!: EntityTable<FileRow, 'path'>;
  fingerprints!: EntityTable<FingerprintRow, 'digest'>;
  fingerprintBlocks!: EntityTable<FingerprintBlock, 'id'>;
  decisions!: EntityTable<DecisionRow, 'id'>;
  actions!: EntityTable<ActionRow, 'id'>;
  meta!: Table<MetaRow, MetaRow['id']>;
  verdicts!: EntityTable<VerdictRow, 'key'>;

  /** `options` lets tests pass fake-indexeddb's `indexedDB` and `IDBKeyRange`. */
  constructor(name = 'doppel', options?: DexieOptions) {
    super(name, options);
    for (const { version, stores } of SCHEMA_VERSIONS) this.version(version).stores(stores);
  }
}

/** Marks the library changed; call inside a read-write transaction that includes `meta`. */
export function stampLibraryChanged(db: DoppelDb, at = Date.now()): Promise<unknown> {
  return db.meta.put({ id: 'library-changed', at });
}

/** The last change stamp (0 for a library never changed). */
export async function libraryChangedAt(db: DoppelDb): Promise<number> {
  const row = await db.meta.get('library-changed');
  return row?.id === 'library-changed' ? row.at : 0;
}
