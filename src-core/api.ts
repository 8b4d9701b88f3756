// DoppelApi: the one object the renderer uses to reach main-side capabilities. The preload
// implements it over Electron IPC; the headless host (`doppel serve`) over a WebSocket.
// Main keeps no library state: the renderer's database says which roots to watch, and main
// reports what it sees and hashes.
import type { Companion } from './companions/discover';
import type { HashOutcome } from './fingerprint';
import type { VerifyImage } from './hash-protocol';
import type { PairCheck } from './verify/verified-pairs';

export interface AppInfo {
  version: string;
  /** Which face of the engine serves this renderer. */
  host: 'electron' | 'browser';
  platform: string;
  /** Folders given on the command line of `doppel serve DIR...`, to add on first start. */
  initialRoots: string[];
  /** The folders main watches now (another window or browser added them): a window whose
   *  database does not have them adds them. */
  watchedRoots?: WatchedRoot[];
}

export interface RootOptions {
  /** Poll instead of using OS notifications (network drives often send none). */
  networkDrive: boolean;
}

export interface WatchedRoot {
  path: string;
  options: RootOptions;
  /** Links found so far that lead out of the root: not scanned (see the `skipped` event). */
  skipped?: SkippedPath[];
}

/** Something in a root Doppel does not scan, and why (a link leading out of the root). */
export interface SkippedPath {
  path: string;
  reason: string;
}

/** A file as the watcher sees it: enough to decide whether it needs hashing. */
export interface FileSeen {
  root: string;
  path: string;
  size: number;
  mtimeMs: number;
  /** The physical file the name leads to (a symlink: its target), "dev:ino" of its device and
   *  inode (file index on Windows; exact even past 2^53). Names with one fileId are one photo,
   *  never duplicates of each other. Absent when the file system gives no inode numbers. */
  fileId?: string;
  /** The name itself is a symbolic link (set only when true). */
  symlink?: true;
  /** Files that travel with it (XMP sidecars, Takeout JSON, a Live Photo video), as listed
   *  beside it, with what each adds (src-core/companions/discover.ts). */
  companions?: Companion[];
}

export type FileEvent =
  | { type: 'add' | 'change'; file: FileSeen }
  | { type: 'unlink'; root: string; path: string }
  /** The initial scan of a root finished: files not reported since the root was added are gone. */
  | { type: 'ready'; root: string }
  /** The root itself went away while watched (an unmounted drive, a folder moved away): main
   *  stopped watching it and reported none of its files as deleted. */
  | { type: 'offline'; root: string }
  | { type: 'error'; root: string; message: string }
  /** A link leading out of the root: not scanned; reported once per root watch. */
  | ({ type: 'skipped'; root: string } & SkippedPath);

export interface HashProgress {
  done: number;
  failed: number;
  queued: number;
  running: number;
  paused: boolean;
  filesPerSecond: number;
  /** Seconds left at the current rate, or null while unknown. */
  etaSeconds: number | null;
}

export type Unsubscribe = () => void;

/** A file the person marked for deletion, as it was when hashed. */
export interface DeletionCandidate {
  path: string;
  size: number;
  mtimeMs: number;
  digest: string;
  /** Its companions as listed (path, size, mtime): they go with it, each re-checked by main,
   *  which decides itself from the folder which photos a companion belongs to. */
  companions?: CompanionToMove[];
}

export interface CompanionToMove {
  path: string;
  size: number;
  mtimeMs: number;
}

/** What became of one companion: `size` and `digest` as main checked it (what restoring it
 *  from the trash asks for). */
export interface CompanionResult {
  path: string;
  status: 'moved' | 'skipped' | 'failed';
  reason?: string;
  to?: string;
  moveId?: string;
  size?: number;
  mtimeMs?: number;
  digest?: string;
}

/** A copy that stays (the keeper and any other member not being deleted), as it was hashed:
 *  main counts it only if it is another physical file that still holds this content. */
export interface Survivor {
  path: string;
  size: number;
  mtimeMs: number;
  digest: string;
}

export interface TrashItem {
  file: DeletionCandidate;
  /** The other members of its group that stay: at least one must still be there, unchanged. */
  keep: Survivor[];
}

export interface ActionResult {
  path: string;
  status: 'moved' | 'skipped' | 'failed';
  /** Why it was skipped or failed, in words. */
  reason?: string;
  /** Where a move-to-folder put it. */
  to?: string;
  /** The id main's move journal gave a file moved by moveToFolder: what restore takes. */
  moveId?: string;
  /** Its companions (DeletionCandidate.companions), each moved or left in place with why. */
  companions?: CompanionResult[];
}

export interface DoppelApi {
  getAppInfo(): Promise<AppInfo>;
  /** Starts watching a folder (must exist); its files arrive as FileEvents. */
  watchRoot(path: string, options?: Partial<RootOptions>): Promise<WatchedRoot>;
  unwatchRoot(path: string): Promise<void>;
  /** Reports every photo of a watched root again as `add`, then `ready`: for a window whose
   *  database missed its scan (main kept watching; a second browser of `doppel serve`). */
  relistRoot(path: string): Promise<void>;
  onFileEvents(listener: (events: FileEvent[]) => void): Unsubscribe;
  /** Queues files for hashing (paths must be inside a watched root); results arrive in batches. */
  hash(paths: string[]): Promise<void>;
  onHashResults(listener: (outcomes: HashOutcome[]) => void): Unsubscribe;
  onProgress(listener: (progress: HashProgress) => void): Unsubscribe;
  pauseHashing(): Promise<void>;
  resumeHashing(): Promise<void>;
  cancelHashing(): Promise<void>;
  /** How files are hashed from now on: `embedding` adds the embedding code (a setting). */
  setHashOptions(options: HashOptions): Promise<void>;
  /** The verification stage: aligns each pair of images (files inside watched roots) and
   *  says whether they are the same photo; one result per pair, in order. */
  verifyPairs(pairs: PairToVerify[]): Promise<Array<PairCheck | { error: string }>>;
  /** URL of the cached WebP thumbnail of a content digest. */
  thumbnailUrl(digest: string): string;
  /** URL of a full image; served only for files inside watched roots. */
  imageUrl(path: string): string;
  /** URL of a full-size JPEG rendering of a file browsers cannot show (RAW, HEIC, TIFF) whose
   *  content is `digest`; made on demand and cached; served only for files inside watched roots. */
  viewUrl(digest: string, path: string): string;
  /** Moves files to the OS trash after re-checking each one (inside a watched folder, not
   *  protected, unchanged since hashed, another physical file with the reviewed content
   *  surviving); one result per file. Paths must be absolute. */
  trash(items: TrashItem[], protectedFolders: string[]): Promise<ActionResult[]>;
  /** The alternative to the trash: moves files (same checks) into `destination`, keeping their
   *  paths relative to their watched folder; main journals each move first (its `moveId`) and
   *  writes a manifest there. Refused if a `doppel-manifest.json` there is not Doppel's. */
  moveToFolder(items: TrashItem[], destination: string, protectedFolders: string[]): Promise<ActionResult[]>;
  /** Puts files moved by moveToFolder back where they were, by the `moveId`s it returned: only
   *  moves main journaled, both ends re-checked, never over an existing file. */
  restore(moveIds: string[]): Promise<ActionResult[]>;
  /** Puts files trash() moved back from the freedesktop trash (Linux), by what was trashed:
   *  only a trashed copy of that path with that size and SHA-256, only into a watched folder,
   *  never over a file. Elsewhere each is skipped as "in the system Trash". */
  restoreFromTrash(files: Survivor[]): Promise<ActionResult[]>;
  /** The OS folder picker; only the desktop app has one (a browser types the path). */
  chooseFolder?(): Promise<string | null>;
}

export interface HashOptions {
  embedding: boolean;
}

export interface PairToVerify {
  a: VerifyImage;
  b: VerifyImage;
}

/** Limits main enforces on every call (a compromised renderer must not exhaust it). */
export const API_LIMITS = {
  maxPathsPerCall: 10_000,
  maxPathLength: 4096,
} as const;

/** IPC / WebSocket method names, shared by both sides so they cannot drift apart. */
export const API_METHODS = ['getAppInfo', 'watchRoot', 'unwatchRoot', 'relistRoot', 'hash', 'pauseHashing', 'resumeHashing', 'cancelHashing', 'trash', 'moveToFolder', 'restore', 'restoreFromTrash', 'setHashOptions', 'verifyPairs'] as const;
export type ApiMethod = (typeof API_METHODS)[number];
export const API_EVENTS = ['fileEvents', 'hashResults', 'progress'] as const;
export type ApiEvent = (typeof API_EVENTS)[number];

/** IPC channel names, shared by main and preload. */
export const IPC_CHANNELS = {
  call: 'doppel:call',
  event: 'doppel:event',
  chooseFolder: 'doppel:choose-folder',
  /** Desktop app: main hands each window one MessagePort per hash worker; outcomes arrive on
   *  it straight from the worker (PortedOutcome). */
  resultsPort: 'doppel:results-port',
} as const;
