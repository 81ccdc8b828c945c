// Serializes a clinic's writes where MongoDB transactions are not available (FerretDB 1.x, a
// standalone mongod), across every server instance sharing the database.
//
// FerretDB 1.x runs a conditional update as read-then-write, so two instances can both "win" the
// same findOneAndUpdate; an insert against the unique _id index is the one atomic test-and-set it
// has. The lease is therefore a lock document whose existence is the lease. Pushes queued in this
// process for the clinic run one after another under one lease, so a busy clinic pays for the
// lock once per burst, not once per push.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Collection } from 'mongodb';
import { UnknownClinicError } from './errors';

export interface ClinicLockDoc {
  _id: string;
  /** The server instance holding it (each store handle is an instance). */
  owner: string;
  /** One acquisition; breaking a stale lock names it so a fresh one is never removed. */
  lease: string;
  /** Epoch ms after which another instance may break the lock (its holder is presumed dead). */
  until: number;
}

/** The clinic counters the lease protects. */
export interface ClinicCounters {
  _id: string;
  /** Highest sequence handed out. */
  seq: number;
  /** Every sequence at or below is fully written: pulls never look above it. */
  committedSeq: number;
}

export interface HeldLease {
  /** Highest sequence handed out; raise it before writing documents with the new sequences. */
  seq: number;
  /** Makes every sequence up to `seq` visible to pulls. */
  publish(): Promise<void>;
  /** After a failed write: makes sure `seq` is above every sequence any document carries. */
  recover(): Promise<void>;
}

export interface ClinicLeaseOptions {
  readonly clinics: Collection<ClinicCounters>;
  readonly locks: Collection<ClinicLockDoc>;
  /** Highest sequence any stored document of the clinic carries (0 when none). */
  readonly highestWrittenSeq: (clinicId: string) => Promise<number>;
  readonly leaseMs: number;
  readonly lockWaitMs: number;
}

interface QueuedTask {
  readonly run: (lease: HeldLease) => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === 11000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ClinicLeases {
  private readonly owner = randomUUID();
  private readonly queues = new Map<string, QueuedTask[]>();

  constructor(private readonly options: ClinicLeaseOptions) {}

  /** Runs `task` while this instance alone may write the clinic. */
  run<T>(clinicId: string, task: (lease: HeldLease) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry: QueuedTask = {
        run: task,
        resolve: resolve as (value: unknown) => void,
        reject,
      };
      const queue = this.queues.get(clinicId);
      if (queue) {
        queue.push(entry);
        return;
      }
      this.queues.set(clinicId, [entry]);
      void this.drain(clinicId);
    });
  }

  private async drain(clinicId: string): Promise<void> {
    const queue = this.queues.get(clinicId)!;
    while (queue.length > 0) {
      let lease: { held: HeldLease; release: () => Promise<void> };
      try {
        lease = await this.acquire(clinicId);
      } catch (error) {
        for (const entry of queue.splice(0)) entry.reject(error);
        break;
      }
      // Bounded well inside the lease, so no other instance ever judges a live holder dead.
      const heldUntil = Date.now() + this.options.leaseMs / 3;
      try {
        while (queue.length > 0 && Date.now() < heldUntil) {
          const entry = queue.shift()!;
          try {
            entry.resolve(await entry.run(lease.held));
          } catch (error) {
            entry.reject(error);
          }
        }
      } finally {
        // A failed release leaves the lock to expire (or to this instance to reclaim); the tasks
        // it covered were published already.
        await lease.release().catch(() => undefined);
      }
    }
    this.queues.delete(clinicId);
  }

  private async acquire(
    clinicId: string,
  ): Promise<{ held: HeldLease; release: () => Promise<void> }> {
    const { clinics, locks, leaseMs, lockWaitMs } = this.options;
    const lease = randomUUID();
    const deadline = Date.now() + lockWaitMs;
    let brokeStaleLock = false;
    for (let attempt = 0; ; attempt += 1) {
      try {
        await locks.insertOne({
          _id: clinicId,
          owner: this.owner,
          lease,
          until: Date.now() + leaseMs,
        });
        break;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      const current = await locks.findOne({ _id: clinicId });
      // Its holder died (or is this instance after a failed release): break the lock.
      if (current !== null && (current.owner === this.owner || current.until < Date.now())) {
        await locks.deleteOne({ _id: clinicId, lease: current.lease });
        brokeStaleLock = true;
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for the write lease of clinic ${clinicId}`);
      }
      await sleep(Math.min(2 ** attempt, 20) + Math.random() * 5);
    }

    const releaseLock = async () => {
      await locks.deleteOne({ _id: clinicId, lease });
    };
    const counters = await clinics.findOne({ _id: clinicId });
    if (counters === null) {
      await releaseLock();
      throw new UnknownClinicError(clinicId);
    }
    let published = counters.committedSeq;
    const held: HeldLease = {
      seq: Math.max(counters.seq, counters.committedSeq),
      publish: async () => {
        const seq = held.seq;
        if (seq <= published) return;
        await clinics.updateOne({ _id: clinicId }, { $max: { seq, committedSeq: seq } });
        published = seq;
      },
      recover: async () => {
        held.seq = Math.max(held.seq, await this.options.highestWrittenSeq(clinicId));
      },
    };
    // A holder that died may have written documents above the published counters; starting
    // above them keeps every sequence unique, and the next publish makes them visible.
    if (brokeStaleLock) await held.recover();
    return {
      held,
      release: async () => {
        try {
          await held.publish();
        } finally {
          await releaseLock();
        }
      },
    };
  }
}
