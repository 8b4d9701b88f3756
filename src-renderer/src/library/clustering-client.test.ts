// The main thread's side of the cluster worker, against a fake worker and verifier.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SIMILARITY } from '../../../src-core/similarity/methods';
import type { PairToCheck } from '../workers/cluster-library';
import type { ClusterRequest } from '../workers/cluster-jobs';
import type { ClusterWorkerMessage } from '../workers/cluster.worker';
import { createLibraryState } from '../library-state';
import { ClusteringClient, type ClusterWorkerPort } from './clustering-client';
import { group, member } from '../review/review-test-support';

function setup(refresh: (paths: string[]) => void = () => undefined) {
  const posted: ClusterRequest[] = [];
  const worker: ClusterWorkerPort = { postMessage: (request: ClusterRequest) => void posted.push(request), onmessage: null };
  const verifier = { remaining: 0, readyForCandidates: true, requested: [] as PairToCheck[], request: (pairs: readonly PairToCheck[]) => void verifier.requested.push(...pairs) };
  const library = createLibraryState();
  const client = new ClusteringClient(worker, verifier, library, refresh);
  const reply = (message: ClusterWorkerMessage) => worker.onmessage!({ data: message } as MessageEvent<ClusterWorkerMessage>);
  return { posted, verifier, library, client, reply };
}

const pair = (a: string, b: string) => ({ a: { digest: a }, b: { digest: b }, signals: [] }) as unknown as PairToCheck;
const groupsReply = (id: number, order: string[], added: Array<[string, ReturnType<typeof group>]>, facts: { reset?: boolean; more?: boolean } = {}): ClusterWorkerMessage => ({
  type: 'groups',
  id,
  source: 'full',
  order,
  added,
  reset: facts.reset ?? false,
  photos: 4,
  ms: 10,
  phases: {},
  more: facts.more ?? false,
});

afterEach(() => vi.useRealTimers());

describe('ClusteringClient', () => {
  it('lets a clustering search for candidates only when the verifier can take them', () => {
    const { posted, verifier, library, client } = setup();
    client.request('open');
    verifier.readyForCandidates = false;
    library.similarity = 0.7;
    client.request('cut');
    expect(posted).toEqual([
      { type: 'open', similarity: DEFAULT_SIMILARITY, id: 1, verify: true },
      { type: 'cut', similarity: 0.7, id: 2, verify: false },
    ]);
    expect(library.clustering).toBe(true);
  });

  it('asks for fingerprints without keeper evidence to be refreshed', () => {
    const asked: string[][] = [];
    const { reply } = setup((paths) => void asked.push(paths));
    reply(groupsReply(1, [], [], { reset: true }));
    reply({ ...groupsReply(2, [], []), lackingEvidence: ['/old/a.jpg', '/old/b.jpg'] } as ClusterWorkerMessage);
    expect(asked).toEqual([['/old/a.jpg', '/old/b.jpg']]);
  });

  it('assembles groups sent once by key, and is done when the newest request is answered', () => {
    const { library, client, reply } = setup();
    const g1 = group([member('/a', 'A'), member('/b', 'B')]);
    const g2 = group([member('/c', 'C'), member('/d', 'D')]);
    client.request('recluster');
    client.request('cut');
    reply(groupsReply(1, ['1', '2'], [['1', g1], ['2', g2]], { reset: true }));
    expect(library.groups).toEqual([g1, g2]);
    expect(library.clustering).toBe(true);
    reply(groupsReply(2, ['2'], []));
    expect(library.groups).toEqual([g2]);
    expect(library.photos).toBe(4);
    expect(library.clustering).toBe(false);
  });

  it('hands candidates to the verifier and counts the pairs left, the next slices included', () => {
    const { verifier, library, reply } = setup();
    verifier.remaining = 2;
    reply({ type: 'candidates', toVerify: [pair('A', 'B'), pair('C', 'D')], unverified: 10, similarShots: [] });
    expect(verifier.requested).toHaveLength(2);
    expect(library.pairsToVerify).toBe(10);
  });

  it('re-clusters after a batch that confirmed a match, or after the last batch', () => {
    vi.useFakeTimers();
    const { posted, client } = setup();
    client.afterVerifiedBatch(5, 3, 0);
    vi.runAllTimers();
    expect(posted).toEqual([]);
    client.afterVerifiedBatch(4, 1, 1);
    client.afterVerifiedBatch(0, 2, 0);
    vi.runAllTimers();
    expect(posted.map((r) => r.type)).toEqual(['recluster']);
  });
});
