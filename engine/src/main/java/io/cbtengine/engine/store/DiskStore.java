package io.cbtengine.engine.store;

import io.cbtengine.engine.epoch.Epoch;
import io.cbtengine.engine.epoch.EpochLog;
import io.cbtengine.engine.epoch.IntentLog;
import java.time.Instant;

/**
 * Persistence hooks of one disk. Each method that records a life-cycle change returns only once the
 * change is durable, and throws {@link io.cbtengine.api.FileFaultException} (key {@code
 * cbt.corrupt}) if it could not be written; the caller then changes nothing in memory. The
 * in-memory engine uses {@link #NONE}.
 *
 * <p>Thread-safety: the life-cycle methods are called under the disk's lock; {@link #epochFrozen}
 * from the freezer thread.
 */
public interface DiskStore {
  /** Persists nothing. */
  DiskStore NONE =
      new DiskStore() {
        @Override
        public void generationStarted(long high, long low, boolean wholeDiskAtStart) {}

        @Override
        public IntentLog openIntentLog(long high, long low, long epoch) {
          return null;
        }

        @Override
        public void snapshotCreated(
            long high, long low, long seq, String snapshotId, long capacity, Instant at) {}

        @Override
        public void snapshotDeleted(long high, long low, long seq) {}

        @Override
        public void extended(long capacity) {}

        @Override
        public void trackingDisabled(long high, long low) {}

        @Override
        public void epochFrozen(long high, long low, Epoch epoch) {}

        @Override
        public void closeClean(long high, long low, EpochLog log) {}

        @Override
        public void deleted() {}

        @Override
        public void close() {}
      };

  void generationStarted(long high, long low, boolean wholeDiskAtStart);

  /** The write-intent log for a newly opened epoch, or {@code null} if none is kept. */
  IntentLog openIntentLog(long high, long low, long epoch);

  void snapshotCreated(long high, long low, long seq, String snapshotId, long capacity, Instant at);

  void snapshotDeleted(long high, long low, long seq);

  void extended(long capacity);

  void trackingDisabled(long high, long low);

  /** Persists a frozen epoch; failures are logged, the write-intent log then stays. */
  void epochFrozen(long high, long low, Epoch epoch);

  /** On a clean close: persists every closed epoch not yet on disk and the open epoch. */
  void closeClean(long high, long low, EpochLog log);

  /** Removes the disk's files. */
  void deleted();

  /** Releases open files (journal, intent logs) after a clean close. */
  void close();
}
