import { describe, expect, it } from 'vitest';
import { ClusterJobs, type ClusterJob } from './cluster-jobs';

describe('ClusterJobs', () => {
  it('runs one job at a time and merges what arrives meanwhile into one job at the latest similarity', async () => {
    const ran: ClusterJob[] = [];
    const releases: Array<() => void> = [];
    const jobs = new ClusterJobs(async (job) => {
      ran.push(job);
      await new Promise<void>((resolve) => releases.push(resolve));
    });
    jobs.add({ type: 'open', similarity: 0.8, id: 1, verify: true });
    jobs.add({ type: 'recluster', similarity: 0.8, id: 2, verify: true });
    jobs.add({ type: 'cut', similarity: 0.9, id: 3, verify: true });
    jobs.add({ type: 'cut', similarity: 0.95, id: 4, verify: false });
    expect(ran).toEqual([{ open: true, recluster: false, candidates: false, similarity: 0.8, verify: true, id: 1 }]);
    expect(jobs.hasMore).toBe(true);
    releases.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    // Three requests, one job: the re-cluster survives the cuts after it; the newest says
    // whether a candidate search may follow (files were found to hash meanwhile).
    expect(ran[1]).toEqual({ open: false, recluster: true, candidates: false, similarity: 0.95, verify: false, id: 4 });
    expect(jobs.hasMore).toBe(false);
    // A request re-added with an older id (the follow-up of a stale snapshot) keeps the newer similarity.
    jobs.add({ type: 'cut', similarity: 0.85, id: 5, verify: true });
    jobs.add({ type: 'recluster', similarity: 0.8, id: 1, verify: false });
    // The candidate search a clustering asks for rides along with the next job.
    jobs.add({ type: 'candidates', similarity: 0.8, id: 1, verify: false });
    releases.shift()!();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(ran[2]).toEqual({ open: false, recluster: true, candidates: true, similarity: 0.85, verify: true, id: 5 });
    releases.shift()!();
  });

  it('keeps going after a job fails', async () => {
    const ran: number[] = [];
    const errors = console.error;
    console.error = () => undefined;
    try {
      const jobs = new ClusterJobs(async (job) => {
        ran.push(job.id);
        if (job.id === 1) throw new Error('IndexedDB closed');
      });
      jobs.add({ type: 'open', similarity: 0.8, id: 1, verify: true });
      await new Promise((resolve) => setTimeout(resolve, 0));
      jobs.add({ type: 'cut', similarity: 0.8, id: 2, verify: true });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ran).toEqual([1, 2]);
    } finally {
      console.error = errors;
    }
  });
});
