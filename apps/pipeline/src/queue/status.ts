/** What `mldp queue status` shows: the project's queue, its workers and the jobs they hold. */
import type { Queue } from 'bullmq';
import type { QueueJobData } from './job.js';
import type { JobResult } from './worker.js';

export interface QueueStatus {
  queue: string;
  counts: { waiting: number; active: number; completed: number; failed: number; delayed: number };
  workers: Array<{ name: string; address: string; ageSeconds: number; idleSeconds: number }>;
  active: Array<{ id: string; job: string; worker: string | null; attempt: number; since: string | null }>;
  waiting: Array<{ id: string; job: string }>;
}

const SHOWN = 50;

export async function queueStatus(queue: Queue<QueueJobData, JobResult>): Promise<QueueStatus> {
  const [counts, clients, active, waiting] = await Promise.all([
    queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed', 'prioritized'),
    queue.getWorkers(),
    queue.getJobs(['active'], 0, SHOWN - 1, true),
    queue.getJobs(['waiting', 'prioritized'], 0, SHOWN - 1, true),
  ]);
  const what = (data: QueueJobData) => (data.sweep ? `sweep ${data.sweep.id} #${data.sweep.num}` : `run ${data.overrides.join(' ') || '(no overrides)'}`);
  return {
    queue: queue.name,
    counts: { waiting: (counts.waiting ?? 0) + (counts.prioritized ?? 0), active: counts.active ?? 0, completed: counts.completed ?? 0, failed: counts.failed ?? 0, delayed: counts.delayed ?? 0 },
    workers: [...new Map(clients.map((c) => [String(c.rawname), c])).values()]
      .map((c) => ({ name: String(c.rawname ?? c.name ?? '').replace(/^.*:w:/, ''), address: String(c.addr ?? ''), ageSeconds: Number(c.age ?? 0), idleSeconds: Number(c.idle ?? 0) }))
      .sort((a, b) => (a.name < b.name ? -1 : 1)),
    active: active.filter(Boolean).map((job) => ({
      id: job.id!,
      job: what(job.data),
      worker: job.processedBy ?? null,
      attempt: job.attemptsStarted,
      since: job.processedOn ? new Date(job.processedOn).toISOString() : null,
    })),
    waiting: waiting.filter(Boolean).map((job) => ({ id: job.id!, job: what(job.data) })),
  };
}
