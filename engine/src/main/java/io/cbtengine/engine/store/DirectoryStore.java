package io.cbtengine.engine.store;

import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.engine.epoch.BlockSet;
import io.cbtengine.engine.epoch.Epoch;
import io.cbtengine.engine.epoch.EpochLog;
import io.cbtengine.engine.epoch.IntentLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * A persistent engine's directory:
 *
 * <pre>
 * FORMAT          "cbt-engine store" and "format=1"; another version is refused
 * LOCK            held (FileChannel lock) while an engine has the directory open
 * CLEAN           present only after a clean close; removed when recovery starts
 * catalog.cmap    the Chronicle Map catalog, rebuilt from the journals at every open
 * disks/          one folder per disk, see {@link DirectoryDiskStore}
 * trash/          folders being deleted; emptied at open
 * </pre>
 *
 * <h2>Recovery</h2>
 *
 * <ol>
 *   <li>Replay each disk's journal. A torn last record is dropped (its append never returned);
 *       corruption anywhere else resets the disk's tracking (a new generation) since its history
 *       can no longer be trusted. A disk whose creation never completed is removed.
 *   <li>Closed epochs: the epoch file if it validates, else the regions of its write-intent log,
 *       else the epoch is <em>lost</em> and every query spanning it gets {@code FileFault}.
 *   <li>The open epoch: what a clean close saved ({@code open-k.cbte}) united with the regions of
 *       its write-intent log. In {@code NONE} mode after an unclean stop, or when neither file can
 *       be read, the generation is reset.
 *   <li>The open epoch's recovered content is saved as {@code open-k.cbte} and a fresh write-intent
 *       log started, so the next crash still finds both.
 * </ol>
 *
 * <p>Thread-safety: {@link #open} and {@link #close} once; disk creation under the engine's lock.
 */
public final class DirectoryStore implements AutoCloseable {
  static final String FORMAT_TEXT = "cbt-engine store\nformat=1\n";

  private static final System.Logger LOG = System.getLogger(DirectoryStore.class.getName());

  private final Path dir;
  private final boolean intentLogging;
  private final int intentRegionBytesLog2;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final boolean wasClean;
  private final AtomicLong trashCounter = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  private DirectoryStore(
      Path dir,
      boolean intentLogging,
      long intentRegionBytes,
      FileChannel lockChannel,
      FileLock lock,
      boolean wasClean) {
    this.dir = dir;
    this.intentLogging = intentLogging;
    this.intentRegionBytesLog2 = Long.numberOfTrailingZeros(intentRegionBytes);
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.wasClean = wasClean;
  }

  /**
   * Opens (creating if empty) a store directory, takes its lock and notes whether the last close
   * was clean.
   *
   * @throws InvalidStateException if another engine holds the directory
   * @throws FileFaultException if the directory is not a store of this format
   */
  public static DirectoryStore open(Path dir, boolean intentLogging, long intentRegionBytes) {
    // The lock's channel, in an array so that the retried step below can replace it.
    FileChannel[] opened = new FileChannel[1];
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          dir.toString(),
          "cannot open engine directory: it exists and is not a directory: dir=" + dir);
    }
    try {
      Files.createDirectories(dir);
      Path formatFile = dir.resolve("FORMAT");
      boolean fresh = !Files.exists(formatFile);
      if (fresh) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
          for (Path p : s) {
            String name = p.getFileName().toString();
            if (!name.equals("LOCK")) {
              throw new FileFaultException(
                  FileFaultException.CORRUPT,
                  formatFile.toString(),
                  "not a cbt-engine directory (no FORMAT file, but not empty): dir="
                      + dir
                      + ", found="
                      + name);
            }
          }
        }
      }

      // The lock's channel is used only here and at close: an interrupt that closes it while it
      // is opened or locked (which releases the lock) is met by doing both again.
      FileLock lock =
          InterruptStatus.retried(
              () -> {
                closeQuietly(opened[0]);
                opened[0] =
                    FileChannel.open(
                        dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                try {
                  return opened[0].tryLock();
                } catch (OverlappingFileLockException e) {
                  return null;
                }
              });
      FileChannel ch = opened[0];
      if (lock == null) {
        throw new InvalidStateException(
            "directory is in use by another engine (LOCK held): dir=" + dir);
      }

      if (fresh) {
        StoreFiles.writeAtomically(
            formatFile, ByteBuffer.wrap(FORMAT_TEXT.getBytes(StandardCharsets.US_ASCII)));
        Files.createDirectories(dir.resolve("disks"));
        StoreFiles.syncDirectory(dir);
      } else {
        String text;
        try {
          text = new String(StoreFiles.readAll(formatFile, 4096), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new FileFaultException(
              FileFaultException.CORRUPT,
              formatFile.toString(),
              "cannot read FORMAT: dir=" + dir + ", error=" + e,
              e);
        }
        if (!text.equals(FORMAT_TEXT)) {
          throw new FileFaultException(
              FileFaultException.CORRUPT,
              formatFile.toString(),
              "unsupported store format (this engine reads format=1): dir="
                  + dir
                  + ", FORMAT=\""
                  + text.strip().replace('\n', ' ')
                  + "\"");
        }
        Files.createDirectories(dir.resolve("disks"));
      }

      // CLEAN is consumed by recover(), not here: an open that fails before recovering (the
      // catalog could not be created, say) must leave a clean close clean.
      boolean wasClean = fresh || Files.exists(dir.resolve("CLEAN"));
      DirectoryStore store =
          new DirectoryStore(dir, intentLogging, intentRegionBytes, ch, lock, wasClean);
      StoreFiles.deleteTree(dir.resolve("trash"));
      return store;
    } catch (IOException e) {
      closeQuietly(opened[0]);
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          dir.toString(),
          "cannot open engine directory: dir=" + dir + ", error=" + e,
          e);
    } catch (RuntimeException e) {
      closeQuietly(opened[0]);
      throw e;
    }
  }

  private static void closeQuietly(FileChannel ch) {
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // best effort
      }
    }
  }

  public Path dir() {
    return dir;
  }

  public boolean wasClean() {
    return wasClean;
  }

  boolean intentLogging() {
    return intentLogging;
  }

  public Path catalogFile() {
    return dir.resolve("catalog.cmap");
  }

  private int regionShift(int blockSize) {
    return Math.max(0, intentRegionBytesLog2 - Integer.numberOfTrailingZeros(blockSize));
  }

  /** Moves a file or folder into trash/ (atomically) and deletes it. */
  void moveToTrash(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    Path trash = dir.resolve("trash");
    Files.createDirectories(trash);
    Path target =
        trash.resolve(
            path.getFileName() + "-" + System.nanoTime() + "-" + trashCounter.incrementAndGet());
    Files.move(path, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    StoreFiles.syncDirectory(path.getParent());
    StoreFiles.deleteTree(target);
  }

  static String diskFolder(String diskId) {
    return "d-" + diskId;
  }

  /** Creates a disk's folder and journal, durably. */
  public DiskStore createDisk(String diskId, long creationOrder, long capacity, DiskOptions o) {
    Path d = dir.resolve("disks").resolve(diskFolder(diskId));
    try {
      moveToTrash(d);
      Files.createDirectories(d);
      StoreFiles.syncDirectory(d.getParent());
      DiskJournal journal = DiskJournal.create(d.resolve("journal.log"));
      journal.append(DiskJournal.CREATED, createdPayload(creationOrder, capacity, o));
      return new DirectoryDiskStore(this, d, journal, regionShift(o.blockSize()));
    } catch (IOException e) {
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          d.toString(),
          "cannot create disk files: disk=" + diskId + ", dir=" + d + ", error=" + e,
          e);
    }
  }

  /** The payload of a CREATED journal record. */
  private static ByteBuffer createdPayload(long creationOrder, long capacity, DiskOptions o) {
    ByteBuffer p = DiskJournal.payload(8 + 8 + 4 + 1 + 4 + 8);
    p.putLong(creationOrder).putLong(capacity).putInt(o.blockSize());
    p.put((byte) (o.initiallyEmpty() ? 1 : 0)).putInt(o.maxExtentsPerReply());
    p.putLong(o.maxWindowBytes()).flip();
    return p;
  }

  /**
   * Recovers every disk in the directory; see the class comment. First removes the CLEAN mark
   * (durably): from here on the directory changes, and a stop before the next clean close is
   * unclean.
   */
  public List<RecoveredDisk> recover() {
    try {
      Files.deleteIfExists(dir.resolve("CLEAN"));
      StoreFiles.syncDirectory(dir);
    } catch (IOException e) {
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          dir.toString(),
          "cannot remove the clean mark: dir=" + dir + ", error=" + e,
          e);
    }
    List<RecoveredDisk> out = new ArrayList<>();
    Path disks = dir.resolve("disks");
    List<Path> folders = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(disks, "d-*")) {
      s.forEach(folders::add);
    } catch (IOException e) {
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          disks.toString(),
          "cannot list disks: dir=" + disks + ", error=" + e,
          e);
    }
    for (Path d : folders) {
      String diskId = d.getFileName().toString().substring(2);
      try {
        RecoveredDisk r = recoverDisk(diskId, d);
        if (r != null) {
          out.add(r);
          for (String note : r.notes()) {
            LOG.log(System.Logger.Level.WARNING, "recovery: disk=" + diskId + ": " + note);
          }
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "recovery: disk " + diskId + " cannot be recovered and is set aside: " + e,
            e);
        try {
          Files.move(
              d, dir.resolve("corrupt-" + d.getFileName() + "-" + System.currentTimeMillis()));
        } catch (IOException moveFailure) {
          throw new FileFaultException(
              FileFaultException.CORRUPT,
              d.toString(),
              "cannot recover or set aside disk: disk=" + diskId + ", error=" + e,
              e);
        }
      }
    }
    return out;
  }

  private record Created(long order, long capacity, DiskOptions options) {}

  /**
   * Whether a disk folder holds anything tracked after its creation returned: an epoch file, an
   * open-epoch file, or an intent log with records. A disk whose creation never completed has at
   * most an empty intent log.
   */
  private static boolean holdsTrackingData(Path diskDir) throws IOException {
    try (Stream<Path> files = Files.walk(diskDir, 2)) {
      return files.anyMatch(
          f -> {
            String name = f.getFileName().toString();
            if (!f.getParent().getFileName().toString().startsWith("g-")) {
              return false;
            }
            if (name.endsWith(".cbte")) {
              return true;
            }
            try {
              return name.startsWith("intent-") && Files.size(f) > RegionIntentLog.HEADER_BYTES;
            } catch (IOException e) {
              return true; // unreadable: keep the disk rather than remove it
            }
          });
    }
  }

  private RecoveredDisk recoverDisk(String diskId, Path d) throws IOException {
    Path journalFile = d.resolve("journal.log");
    if (!Files.isRegularFile(journalFile)) {
      if (holdsTrackingData(d)) {
        throw new IOException("journal missing, but the disk holds tracking data");
      }
      moveToTrash(d); // creation never completed
      return null;
    }
    DiskJournal.Replay replay = DiskJournal.replay(journalFile);
    List<String> notes = new ArrayList<>();

    // Step 1: replay the life cycle.
    Created created = null;
    long capacity = 0;
    long[] gen = null; // high, low, whole
    long lastSeq = 0;
    TreeMap<Long, RecoveredDisk.Snapshot> live = new TreeMap<>();
    boolean sawGeneration = false;
    // The records before any damage are read: they give the disk's settings, so that a damaged
    // journal resets tracking (below) rather than setting the whole disk aside.
    String problem = null;
    for (DiskJournal.Entry e : replay.entries()) {
      if (problem != null) {
        break;
      }
      ByteBuffer p = e.payload();
      try {
        switch (e.type()) {
          case DiskJournal.CREATED -> {
            if (created != null) {
              problem = "second CREATED record";
              break;
            }
            long order = p.getLong();
            long cap = p.getLong();
            int blockSize = p.getInt();
            boolean empty = p.get() != 0;
            int maxExtents = p.getInt();
            long maxWindow = p.getLong();
            DiskOptions o =
                DiskOptions.builder()
                    .blockSize(blockSize)
                    .initiallyEmpty(empty)
                    .maxExtentsPerReply(maxExtents)
                    .maxWindowBytes(maxWindow)
                    .build();
            if (cap <= 0 || cap % 512 != 0) {
              problem = "bad capacity in CREATED: capacity=" + cap;
              break;
            }
            created = new Created(order, cap, o);
            capacity = cap;
          }
          case DiskJournal.GENERATION -> {
            gen = new long[] {p.getLong(), p.getLong(), p.get()};
            lastSeq = 0;
            live.clear();
            sawGeneration = true;
          }
          case DiskJournal.SNAPSHOT -> {
            long seq = p.getLong();
            long cap = p.getLong();
            long sec = p.getLong();
            int nanos = p.getInt();
            long check = p.getLong();
            int idLen = p.getShort();
            byte[] id = new byte[idLen];
            p.get(id);
            if (gen == null || seq != lastSeq + 1 || check != (gen[0] ^ gen[1])) {
              problem = "SNAPSHOT out of sequence: seq=" + seq + ", lastSeq=" + lastSeq;
              break;
            }
            lastSeq = seq;
            live.put(
                seq,
                new RecoveredDisk.Snapshot(
                    new String(id, StandardCharsets.US_ASCII),
                    seq,
                    cap,
                    Instant.ofEpochSecond(sec, nanos)));
          }
          case DiskJournal.SNAPSHOT_DELETED -> {
            long seq = p.getLong();
            long check = p.getLong();
            if (gen == null || check != (gen[0] ^ gen[1])) {
              problem = "SNAPSHOT_DELETED of another generation: seq=" + seq;
              break;
            }
            live.remove(seq);
          }
          case DiskJournal.EXTENDED -> {
            long cap = p.getLong();
            if (cap < capacity || cap % 512 != 0) {
              problem = "EXTENDED shrinks: capacity=" + cap + ", was=" + capacity;
              break;
            }
            capacity = cap;
          }
          case DiskJournal.DISABLED -> {
            gen = null;
            lastSeq = 0;
            live.clear();
          }
          default -> problem = "unknown record type " + e.type();
        }
      } catch (RuntimeException ex) {
        problem = "unreadable record of type " + e.type() + ": " + ex;
      }
    }
    if (problem == null && replay.corrupt()) {
      problem = replay.problem();
    }
    if (problem == null && (created == null || gen == null) && holdsTrackingData(d)) {
      // The journal ends with no live generation (no record at all, none yet, or tracking
      // disabled, whose record is appended only after the generation's files are retired), yet a
      // generation's files hold tracked writes: the journal lost its later records. The disk
      // must survive that (reset, or set aside without its settings), not be removed or come
      // back disabled without its data.
      problem = "journal ends with no live generation, but the disk holds tracking data";
    }
    if (created == null || (!sawGeneration && problem == null)) {
      if (problem == null) {
        moveToTrash(d); // creation never completed: createDisk did not return
        return null;
      }
      throw new IOException("journal unreadable before the disk's settings: " + problem);
    }

    int regionShift = regionShift(created.options.blockSize());
    DiskJournal journal;
    if (problem != null) {
      // Step 1, corruption: rewrite the journal with the settings alone; tracking restarts.
      notes.add("journal damaged (" + problem + "); tracking reset to a new generation");
      Path fresh = d.resolve("journal.log.new");
      Files.deleteIfExists(fresh);
      DiskJournal j = DiskJournal.create(fresh);
      j.append(DiskJournal.CREATED, createdPayload(created.order, capacity, created.options));
      j.close();
      Files.move(
          fresh,
          journalFile,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      StoreFiles.syncDirectory(d);
      journal = DiskJournal.openForAppend(journalFile, Files.size(journalFile));
      DirectoryDiskStore store = new DirectoryDiskStore(this, d, journal, regionShift);
      retireGenerations(d, null);
      return reset(diskId, created, capacity, store, notes);
    }
    journal = DiskJournal.openForAppend(journalFile, replay.validLength());
    DirectoryDiskStore store = new DirectoryDiskStore(this, d, journal, regionShift);
    if (gen == null) {
      retireGenerations(d, null);
      return new RecoveredDisk(
          diskId, created.order, capacity, created.options, null, store, notes);
    }
    long high = gen[0];
    long low = gen[1];
    retireGenerations(d, DirectoryDiskStore.generationFolder(high, low));

    // NONE after an unclean stop: nothing on disk covers the writes since the last freeze.
    if (!wasClean && !intentLogging) {
      notes.add("unclean stop in durability mode NONE; tracking reset to a new generation");
      return reset(diskId, created, capacity, store, notes);
    }

    // Step 2: closed epochs; one rebuilt from its logs is written as an epoch file at once, so
    // that its logs may go.
    List<Epoch> closed = new ArrayList<>();
    for (long k = 1; k <= lastSeq; k++) {
      BlockSet b = store.readEpoch(high, low, k);
      if (b == null) {
        b = fromLogs(store, high, low, k, false);
        if (b != null) {
          store.writeEpoch(high, low, k, b);
          notes.add("epoch " + k + " rebuilt from its write-intent log");
        }
      }
      if (b == null) {
        notes.add("epoch " + k + " lost; queries spanning it get FileFault");
        closed.add(Epoch.lost(k));
      } else {
        closed.add(Epoch.ofFrozen(k, b));
      }
    }

    // Step 3: the open epoch.
    long k = lastSeq + 1;
    BlockSet content = fromLogs(store, high, low, k, wasClean);
    if (content == null) {
      notes.add("open epoch " + k + " cannot be recovered; tracking reset to a new generation");
      return reset(diskId, created, capacity, store, notes);
    }

    // Step 4: save the recovered content, start a fresh intent log, pre-mark the open epoch.
    store.writeOpen(high, low, k, content);
    IntentLog fresh = store.reopenIntentLog(high, low, k);
    EpochLog log = EpochLog.restore(closed, fresh);
    premark(log.openEpoch(), content);
    removeStaleFiles(store.generationDir(high, low), lastSeq);

    List<RecoveredDisk.Snapshot> snaps = new ArrayList<>(live.values());
    return new RecoveredDisk(
        diskId,
        created.order,
        capacity,
        created.options,
        new RecoveredDisk.Generation(high, low, gen[2] != 0, log, snaps),
        store,
        notes);
  }

  /**
   * The content of epoch {@code k} from the files other than its epoch file, or {@code null} if
   * they do not account for every write: after a clean close, {@code open-k.cbte} alone; else the
   * regions of {@code intent-k.log}, united with {@code open-k.cbte} when the log says it continues
   * one.
   */
  private BlockSet fromLogs(DirectoryDiskStore store, long high, long low, long k, boolean clean) {
    BlockSet saved = store.readOpen(high, low, k);
    if (clean && saved != null) {
      return saved;
    }
    if (!intentLogging) {
      return null;
    }
    RegionIntentLog.Content intents = store.readIntents(high, low, k);
    if (intents == null) {
      return null;
    }
    if (!intents.basedOnOpenFile()) {
      return intents.blocks();
    }
    return saved == null ? null : BlockSet.union(List.of(saved, intents.blocks()));
  }

  /** The disk with its tracking restarted in a new generation (earlier changeIds: FileFault). */
  private RecoveredDisk reset(
      String diskId, Created created, long capacity, DirectoryDiskStore store, List<String> notes) {
    return new RecoveredDisk(
        diskId,
        created.order,
        capacity,
        created.options,
        resetGeneration(store, notes),
        store,
        notes);
  }

  private static void premark(Epoch open, BlockSet content) {
    long pos = 0;
    while (true) {
      long s = content.nextSet(pos);
      if (s < 0) {
        return;
      }
      long e = content.nextClear(s);
      open.dense().mark(s, e - 1);
      pos = e;
    }
  }

  private RecoveredDisk.Generation resetGeneration(DirectoryDiskStore store, List<String> notes) {
    long high;
    long low;
    synchronized (random) {
      high = random.nextLong();
      low = random.nextLong();
    }
    store.generationStarted(high, low, true);
    try {
      retireGenerations(store.dir(), DirectoryDiskStore.generationFolder(high, low));
    } catch (IOException e) {
      notes.add("could not remove old generation folders: " + e);
    }
    EpochLog log = new EpochLog(store.openIntentLog(high, low, 1));
    return new RecoveredDisk.Generation(high, low, true, log, List.of());
  }

  /** Moves every generation folder but {@code keep} to trash. */
  private void retireGenerations(Path diskDir, String keep) throws IOException {
    List<Path> old = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(diskDir, "g-*")) {
      for (Path p : s) {
        if (!p.getFileName().toString().equals(keep)) {
          old.add(p);
        }
      }
    }
    for (Path p : old) {
      moveToTrash(p);
    }
  }

  private static void removeStaleFiles(Path genDir, long lastSeq) throws IOException {
    List<Path> stale = new ArrayList<>();
    try (DirectoryStream<Path> s = Files.newDirectoryStream(genDir)) {
      for (Path p : s) {
        String n = p.getFileName().toString();
        if (n.endsWith(".tmp")) {
          stale.add(p);
        } else if (n.startsWith("epoch-") && n.endsWith(".cbte")) {
          long k = parseNumber(n, "epoch-", ".cbte");
          if (k < 1 || k > lastSeq) {
            stale.add(p);
          }
        } else if (n.startsWith("open-") && n.endsWith(".cbte")) {
          if (parseNumber(n, "open-", ".cbte") != lastSeq + 1) {
            stale.add(p);
          }
        } else if (n.startsWith("intent-") && n.endsWith(".log")) {
          long k = parseNumber(n, "intent-", ".log");
          if (k < 1
              || k > lastSeq + 1
              || (k <= lastSeq && Files.isRegularFile(DirectoryDiskStore.epochFile(genDir, k)))) {
            stale.add(p);
          }
        }
      }
    }
    for (Path p : stale) {
      Files.deleteIfExists(p);
    }
  }

  private static long parseNumber(String name, String prefix, String suffix) {
    try {
      return Long.parseLong(name.substring(prefix.length(), name.length() - suffix.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Marks the directory clean; call after every disk saved its epochs. */
  public void markClean() {
    try {
      Path clean = dir.resolve("CLEAN");
      StoreFiles.writeAtomically(
          clean, ByteBuffer.wrap("clean\n".getBytes(StandardCharsets.US_ASCII)));
    } catch (IOException e) {
      throw new FileFaultException(
          FileFaultException.CORRUPT,
          dir.toString(),
          "cannot mark the directory clean: dir=" + dir + ", error=" + e,
          e);
    }
  }

  /** Closes the journals of the given disks and releases the lock. */
  @Override
  public void close() {
    try {
      lock.release();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.WARNING, "releasing LOCK failed: dir=" + dir, e);
    }
    closeQuietly(lockChannel);
  }
}
