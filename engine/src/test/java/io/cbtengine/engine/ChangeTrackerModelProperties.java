package io.cbtengine.engine;

import io.cbtengine.api.CbtFault;
import io.cbtengine.api.ChangeId;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskChangeInfo;
import io.cbtengine.api.DiskId;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.api.FileFaultException;
import io.cbtengine.api.InvalidArgumentException;
import io.cbtengine.api.InvalidStateException;
import io.cbtengine.api.NotFoundException;
import io.cbtengine.api.SnapshotId;
import io.cbtengine.api.SnapshotInfo;
import io.cbtengine.api.TrackedDisk;
import io.cbtengine.api.WriteScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;
import net.jqwik.api.statistics.Statistics;

/**
 * Random sequences of operations on the in-memory engine, compared after every step with a
 * reference model written from CONTRACT.md.
 *
 * <p>Implementation notes. The model keeps, per disk and tracking generation, the list of writes
 * with the epoch they fall in (epoch {@code e} is the interval before the generation's snapshot
 * {@code e + 1}), the snapshots issued in the generation, and whether {@code "*"} means the whole
 * capacity (disk not declared empty, or tracking re-enabled). A query from the changeId of snapshot
 * {@code j} to snapshot {@code k} must report every byte written in epochs {@code j .. k-1} and may
 * report only the blocks those writes touch (clipped to the capacity of {@code k}). A write scope
 * that is open while snapshot {@code k} is taken adds its range to epoch {@code k} (must) and to
 * epoch {@code k-1} (may). Sets of bytes are {@link ByteRangeSet}s, so the model is exact at byte
 * granularity. Every operation is also tried with invalid arguments; the model predicts the fault
 * (in the check order of CONTRACT section 3) and that a rejected call changes nothing, which the
 * check after each step verifies.
 *
 * <p>Where the contract is silent the model accepts every reasonable answer; each such place says
 * so in a comment starting with "Ambiguous:".
 */
class ChangeTrackerModelProperties {
  private static final int DICE = 1_000_000;
  private static final List<String> DISK_POOL = List.of("d0", "disk:1", "vm_2.vmdk-x");
  private static final long MAX_MODEL_CAPACITY = 16L << 20;

  @Property(tries = 200)
  void operations_randomSequences_engineAgreesWithModel(
      @ForAll("operationChains") ActionChain<World> chain) {
    World world = chain.run();
    Statistics.label("steps per chain").collect(chain.transformations().size() / 10 * 10);
    Statistics.label("snapshots per chain").collect(Math.min(world.history.size(), 10));

    world.closeEngine_everyCall_invalidState();
  }

  /**
   * The same model against a persistent engine ({@code CbtEngine.open}), with one more action:
   * close the engine cleanly and open its directory again. A clean close must lose nothing and add
   * nothing: after the reopen every call must agree with the same model.
   */
  @Property(tries = 60)
  void operations_withCloseAndReopen_persistentEngineAgreesWithModel(
      @ForAll("persistentChains") ActionChain<World> chain) {
    World world = chain.run();
    Statistics.label("reopens per chain").collect(Math.min(world.reopens, 5));
    world.closeEngine_everyCall_invalidState();
    world.deleteDirectory();
  }

  @Provide
  Arbitrary<ActionChain<World>> persistentChains() {
    return withActions(ActionChain.<World>startWith(World::persistent))
        .withAction(3, new Reopen())
        .withMaxTransformations(50);
  }

  @Provide
  Arbitrary<ActionChain<World>> operationChains() {
    return withActions(ActionChain.<World>startWith(World::new)).withMaxTransformations(60);
  }

  private static ActionChainArbitrary<World> withActions(ActionChainArbitrary<World> chain) {
    return chain
        .withAction(2, new CreateDisk())
        .withAction(1, new DeleteDisk())
        .withAction(16, new Write())
        .withAction(3, new BeginScope())
        .withAction(3, new CloseScope())
        .withAction(10, new TakeSnapshot())
        .withAction(2, new DeleteSnapshot())
        .withAction(2, new Extend())
        .withAction(1, new DisableTracking())
        .withAction(1, new EnableTracking())
        .withAction(12, new Query())
        .withAction(1, new Lookups());
  }

  // ---------------------------------------------------------------------------------------------
  // Random numbers handed to an action; interpreted against the state when the action runs, so
  // that a shrunk chain still makes sense. Every value is in [0, DICE); 0 is the plain choice.
  // ---------------------------------------------------------------------------------------------

  static final class Dice {
    private final List<Integer> values;
    private int next;

    Dice(List<Integer> values) {
      this.values = values;
    }

    int pick(int n) {
      return n <= 1 ? 0 : values.get(next++ % values.size()) % n;
    }

    /** A value in [0, bound), roughly uniform. */
    long below(long bound) {
      if (bound <= 1) {
        next++;
        return 0;
      }
      long v = values.get(next++ % values.size());
      return (long) ((double) v / DICE * bound);
    }

    /** A value in [lo, hi]. */
    long between(long lo, long hi) {
      return lo + below(hi - lo + 1);
    }

    boolean chance(int percent) {
      return pick(100) < percent;
    }

    @Override
    public String toString() {
      return values.toString();
    }
  }

  static Arbitrary<Dice> dice() {
    // Uniform: jqwik's default favours small numbers, which would keep disks tiny and writes at 0.
    return Arbitraries.integers()
        .between(0, DICE - 1)
        .withDistribution(RandomDistribution.uniform())
        .list()
        .ofSize(24)
        .map(Dice::new);
  }

  /** An action that needs nothing of the state and draws its arguments from {@link Dice}. */
  abstract static class DiceAction implements Action.Independent<World> {
    private final String name;

    DiceAction(String name) {
      this.name = name;
    }

    @Override
    public boolean precondition(World w) {
      return true;
    }

    @Override
    public Arbitrary<Transformer<World>> transformer() {
      return dice()
          .map(d -> Transformer.mutate(name + " " + d, w -> w.step(name, () -> run(w, d))));
    }

    abstract void run(World w, Dice d);
  }

  /** A {@link DiceAction} that needs an existing disk. */
  abstract static class DiskAction extends DiceAction {
    DiskAction(String name) {
      super(name);
    }

    @Override
    public boolean precondition(World w) {
      return !w.disks.isEmpty();
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The reference model
  // ---------------------------------------------------------------------------------------------

  /**
   * A write range in one epoch: it must be reported in {@code mustEpoch} (if {@code required}) and
   * may be in {@code mayEpoch .. mustEpoch}.
   */
  record ModelWrite(long offset, long length, int mustEpoch, int mayEpoch, boolean required) {
    ModelWrite(long offset, long length, int mustEpoch, int mayEpoch) {
      this(offset, length, mustEpoch, mayEpoch, true);
    }
  }

  /** One tracking generation of one disk. */
  static final class Generation {
    final boolean starIsWholeCapacity;
    final List<ModelWrite> writes = new ArrayList<>();
    final Map<Long, Integer> snapshotIndexBySequence = new HashMap<>();
    ChangeId id;
    int snapshotsTaken;

    Generation(boolean starIsWholeCapacity) {
      this.starIsWholeCapacity = starIsWholeCapacity;
    }

    int epoch() {
      return snapshotsTaken;
    }
  }

  record ModelSnapshot(
      DiskId disk, SnapshotInfo info, Generation generation, int index, ModelDisk owner) {}

  static final class ModelDisk {
    final DiskId id;
    final DiskOptions options;
    long capacity;
    final long maxCapacity;
    boolean tracking = true;
    Generation generation;
    final LinkedHashMap<SnapshotId, ModelSnapshot> live = new LinkedHashMap<>();
    final Set<SnapshotId> everIssued = new HashSet<>();

    ModelDisk(DiskId id, DiskOptions options, long capacity, long maxCapacity) {
      this.id = id;
      this.options = options;
      this.capacity = capacity;
      this.maxCapacity = maxCapacity;
      this.generation = new Generation(!options.initiallyEmpty());
    }
  }

  static final class OpenScope {
    final ModelDisk disk;
    final WriteScope scope;
    final long offset;
    final long length;

    /** The generation the scope was opened in; null if tracking was disabled then. */
    final Generation openedIn;

    int closes;

    OpenScope(ModelDisk disk, WriteScope scope, long offset, long length) {
      this.disk = disk;
      this.scope = scope;
      this.offset = offset;
      this.length = length;
      this.openedIn = disk.tracking ? disk.generation : null;
    }
  }

  /**
   * What a call should throw: a fault type, for InvalidArgument the accepted properties, and the
   * offending values of which the message must name at least one (CONTRACT section 3: "a message
   * naming the offending value"); no values, no check.
   */
  record Expected(Class<? extends CbtFault> type, Set<String> properties, List<String> naming) {
    static Expected invalidArgument(String... properties) {
      return new Expected(InvalidArgumentException.class, Set.of(properties), List.of());
    }

    static Expected of(Class<? extends CbtFault> type) {
      return new Expected(type, Set.of(), List.of());
    }

    Expected naming(Object... values) {
      List<String> texts = new ArrayList<>();
      for (Object v : values) {
        texts.add(String.valueOf(v));
      }
      return new Expected(type, properties, List.copyOf(texts));
    }
  }

  /** The engine under test together with the model, the trace of what ran, and open scopes. */
  static final class World {
    /** Where persistent worlds keep their engines: under target/, removed by mvn clean. */
    static final Path PERSISTENT_ROOT = Path.of("target", "model-engines");

    ChangeTracker engine;
    final Path directory;
    int reopens;

    World() {
      this.engine = ReferenceChangeTracker.underTest();
      this.directory = null;
    }

    private World(Path directory) {
      this.directory = directory;
      this.engine = CbtEngine.open(directory);
    }

    /** Removes a persistent world's directory (kept when a property fails, for inspection). */
    void deleteDirectory() {
      if (directory == null) {
        return;
      }
      try (var paths = Files.walk(directory)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    static World persistent() {
      try {
        Files.createDirectories(PERSISTENT_ROOT);
        return new World(Files.createTempDirectory(PERSISTENT_ROOT, "model-"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    final LinkedHashMap<DiskId, ModelDisk> disks = new LinkedHashMap<>();
    final List<ModelSnapshot> history = new ArrayList<>();
    final List<OpenScope> scopes = new ArrayList<>();
    final Set<String> generationsSeen = new HashSet<>();
    final ArrayDeque<String> trace = new ArrayDeque<>();

    void log(String line) {
      trace.addLast(line);
      if (trace.size() > 80) {
        trace.removeFirst();
      }
    }

    void step(String name, Runnable body) {
      try {
        body.run();
        checkAgainstModel();
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            e
                + "\n  during "
                + name
                + "; trace of resolved calls:\n    "
                + String.join("\n    ", trace),
            e);
      }
    }

    // The engine's view of every disk, compared with the model after every step.
    void checkAgainstModel() {
      List<DiskId> engineIds = engine.disks().stream().map(TrackedDisk::id).toList();
      check(
          engineIds.equals(List.copyOf(disks.keySet())),
          "disks() lists " + engineIds + ", model has " + disks.keySet());
      for (ModelDisk m : disks.values()) {
        TrackedDisk d = engine.disk(m.id);
        check(engine.findDisk(m.id).isPresent(), "findDisk empty for live disk " + m.id);
        check(d.id().equals(m.id), "disk(" + m.id + ").id()=" + d.id());
        check(
            d.capacityBytes() == m.capacity,
            "capacityBytes of " + m.id + " is " + d.capacityBytes() + ", model " + m.capacity);
        check(
            d.blockSize() == m.options.blockSize(),
            "blockSize of " + m.id + " is " + d.blockSize() + ", model " + m.options.blockSize());
        check(
            d.options().equals(m.options),
            "options of " + m.id + " are " + d.options() + ", model " + m.options);
        check(
            d.changeTrackingEnabled() == m.tracking,
            "changeTrackingEnabled of "
                + m.id
                + " is "
                + d.changeTrackingEnabled()
                + ", model "
                + m.tracking);
        List<SnapshotInfo> expected = m.live.values().stream().map(ModelSnapshot::info).toList();
        List<SnapshotInfo> actual = d.snapshots();
        check(
            actual.equals(expected),
            "snapshots() of " + m.id + " is " + actual + ", model " + expected);
      }
      for (String raw : DISK_POOL) {
        DiskId id = DiskId.of(raw);
        if (!disks.containsKey(id)) {
          check(engine.findDisk(id).isEmpty(), "findDisk(" + id + ") present for a deleted disk");
        }
      }
    }

    ModelDisk pickDisk(Dice d) {
      List<ModelDisk> all = List.copyOf(disks.values());
      return all.get(d.pick(all.size()));
    }

    /** A pool id that is not in use, or null if all are. */
    DiskId unusedId(Dice d) {
      List<DiskId> free = new ArrayList<>();
      for (String raw : DISK_POOL) {
        if (!disks.containsKey(DiskId.of(raw))) {
          free.add(DiskId.of(raw));
        }
      }
      return free.isEmpty() ? null : free.get(d.pick(free.size()));
    }

    /** A snapshot id that is not live on {@code m}: deleted, dropped, of an old disk, or new. */
    SnapshotId deadSnapshotId(ModelDisk m, Dice d) {
      List<SnapshotId> dead = new ArrayList<>();
      for (ModelSnapshot s : history) {
        if (s.disk().equals(m.id) && !m.live.containsKey(s.info().id())) {
          dead.add(s.info().id());
        }
      }
      SnapshotId unknown = SnapshotId.of("no-such-snapshot-" + d.pick(3));
      if ((dead.isEmpty() || d.chance(20)) && !m.live.containsKey(unknown)) {
        return unknown;
      }
      if (dead.isEmpty()) {
        return SnapshotId.of("never-issued-" + m.everIssued.size());
      }
      return dead.get(d.pick(dead.size()));
    }

    void closeEngine_everyCall_invalidState() {
      for (OpenScope s : scopes) {
        s.scope.close();
      }
      TrackedDisk handle = disks.isEmpty() ? null : engine.disk(disks.keySet().iterator().next());
      SnapshotId snap =
          handle == null || handle.snapshots().isEmpty()
              ? SnapshotId.of("s")
              : handle.snapshots().get(0).id();
      engine.close();

      DiskId id = DiskId.of(DISK_POOL.get(0));
      expect(Expected.of(InvalidStateException.class), "disk after close", () -> engine.disk(id));
      expect(Expected.of(InvalidStateException.class), "disks after close", engine::disks);
      expect(
          Expected.of(InvalidStateException.class),
          "findDisk after close",
          () -> engine.findDisk(id));
      expectVoid(
          Expected.of(InvalidStateException.class),
          "deleteDisk after close",
          () -> engine.deleteDisk(id));
      expect(
          Expected.of(InvalidStateException.class),
          "createDisk after close",
          () -> engine.createDisk(DiskId.of("after-close"), 1 << 20, DiskOptions.defaults()));
      expect(
          Expected.of(InvalidStateException.class),
          "query after close",
          () -> engine.queryChangedDiskAreas(id, snap, 0, "*"));
      if (handle != null) {
        expect(
            Expected.of(InvalidStateException.class),
            "handle.createSnapshot after close",
            handle::createSnapshot);
        expect(
            Expected.of(InvalidStateException.class),
            "handle.query after close",
            () -> handle.queryChangedDiskAreas(snap, 0, "*"));
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Actions
  // ---------------------------------------------------------------------------------------------

  /** Closes every open scope, closes the engine cleanly and opens its directory again. */
  static final class Reopen extends DiceAction {
    Reopen() {
      super("close and reopen");
    }

    @Override
    public boolean precondition(World w) {
      return w.directory != null;
    }

    @Override
    void run(World w, Dice d) {
      // A hypervisor drains its I/O before a clean shutdown: no scope stays open across it.
      for (OpenScope s : w.scopes) {
        s.scope.close();
      }
      w.scopes.clear();
      w.engine.close();
      w.engine = CbtEngine.open(w.directory);
      w.reopens++;
      w.log("close and reopen " + w.directory);
    }
  }

  static final class CreateDisk extends DiceAction {
    CreateDisk() {
      super("createDisk");
    }

    @Override
    void run(World w, Dice d) {
      // Choose an id: usually a free one from the pool, sometimes one in use.
      DiskId free = w.unusedId(d);
      boolean inUse = free == null || d.chance(15);
      DiskId id = inUse && !w.disks.isEmpty() ? w.pickDisk(d).id : free;
      inUse = w.disks.containsKey(id);

      // Options with varied shaping; capacity a few dozen blocks, sometimes not a block multiple.
      int blockSize = 512 << d.pick(8);
      long blocks = d.between(1, 48);
      long tail = 512 * d.below(blockSize / 512);
      long capacity = blocks * blockSize - tail;
      long maxCapacity = Math.min(MAX_MODEL_CAPACITY, capacity * 4);
      DiskOptions.Builder b =
          DiskOptions.builder().blockSize(blockSize).initiallyEmpty(d.chance(65));
      int extents = d.pick(6);
      if (extents > 0) {
        b.maxExtentsPerReply(extents <= 3 ? extents : (int) d.between(1, 8));
      }
      if (d.chance(50)) {
        // Windows of a few blocks, sometimes not block-aligned, sometimes shorter than a block;
        // never so short that a query needs more than a few hundred replies.
        long minWindow = Math.max(512, roundUp512(maxCapacity / 256));
        long window =
            d.chance(25)
                ? 512 * d.between(1, blockSize / 512)
                : (long) blockSize * d.between(1, 8) + 512 * d.pick(2);
        b.maxWindowBytes(Math.max(minWindow, window));
      }
      DiskOptions options = b.build();

      // Sometimes an invalid capacity.
      boolean badCapacity = d.chance(10);
      if (badCapacity) {
        long[] bad = {0, -512, capacity + 1, 1000, Long.MIN_VALUE, 511};
        capacity = bad[d.pick(bad.length)];
      }

      w.log("createDisk(" + id + ", " + capacity + ", " + options + ")");
      Expected fault =
          inUse && badCapacity
              ? Expected.invalidArgument("id", "capacityBytes").naming(id, capacity)
              : inUse
                  ? Expected.invalidArgument("id").naming(id)
                  : badCapacity ? Expected.invalidArgument("capacityBytes").naming(capacity) : null;
      final long cap = capacity;
      Object created = expect(fault, "createDisk", () -> w.engine.createDisk(id, cap, options));
      if (fault != null) {
        return;
      }
      TrackedDisk disk = (TrackedDisk) created;
      check(disk.changeTrackingEnabled(), "createDisk returned a disk with tracking disabled");
      check(disk.snapshots().isEmpty(), "a new disk has snapshots: " + disk.snapshots());
      w.disks.put(id, new ModelDisk(id, options, capacity, maxCapacity));
    }
  }

  static final class DeleteDisk extends DiceAction {
    DeleteDisk() {
      super("deleteDisk");
    }

    @Override
    void run(World w, Dice d) {
      DiskId unused = w.unusedId(d);
      if (unused != null && (w.disks.isEmpty() || d.chance(20))) {
        w.log("deleteDisk(" + unused + ") unknown");
        expectVoid(
            Expected.of(NotFoundException.class).naming(unused),
            "deleteDisk unknown",
            () -> w.engine.deleteDisk(unused));
        expect(
            Expected.of(NotFoundException.class).naming(unused),
            "disk unknown",
            () -> w.engine.disk(unused));
        return;
      }
      ModelDisk m = w.pickDisk(d);
      w.log("deleteDisk(" + m.id + ")");
      w.engine.deleteDisk(m.id);
      w.disks.remove(m.id);
    }
  }

  /** Draws a write range against a capacity; some are invalid. */
  record WriteArgs(long offset, long length) {
    static WriteArgs draw(Dice d, long cap, int bs) {
      switch (d.pick(12)) {
        case 0, 1:
          { // small, anywhere
            long off = d.below(cap);
            return new WriteArgs(off, d.between(1, Math.min(2L * bs, cap - off)));
          }
        case 2:
          { // straddles a block boundary
            if (cap <= bs) {
              return new WriteArgs(0, cap);
            }
            long boundary = bs * d.between(1, (cap - 1) / bs);
            long before = d.between(1, Math.min(bs, boundary));
            long after = d.between(1, Math.min(bs, cap - boundary));
            return new WriteArgs(boundary - before, before + after);
          }
        case 3: // zero-length
          return new WriteArgs(d.below(cap), 0);
        case 4: // the whole disk
          return new WriteArgs(0, cap);
        case 5:
          { // up to the capacity
            long len = d.between(1, Math.min(cap, 3L * bs));
            return new WriteArgs(cap - len, len);
          }
        case 6:
          { // sector-aligned, larger
            long off = 512 * d.below(cap / 512);
            return new WriteArgs(off, 512 * d.between(1, (cap - off) / 512));
          }
        case 7: // negative offset
          return new WriteArgs(d.chance(50) ? -1 : -512 * d.between(1, 4), d.between(0, 512));
        case 8: // negative length
          return new WriteArgs(d.below(cap), d.chance(50) ? -1 : Long.MIN_VALUE);
        case 9:
          { // past the capacity
            long off = d.below(cap);
            long[] lens = {
              cap - off + 1, cap - off + 512, Long.MAX_VALUE - off + 1, Long.MAX_VALUE
            };
            return new WriteArgs(off, lens[d.pick(lens.length)]);
          }
        case 10: // starts past the capacity
          return new WriteArgs(cap + 512 * d.below(4) + (d.chance(50) ? 0 : 1), d.between(0, 512));
        default:
          { // zero-length at the capacity
            return d.chance(50) ? new WriteArgs(cap, 0) : new WriteArgs(d.below(cap), 1);
          }
      }
    }

    /** The fault the contract demands, or null; {@code lenient} if either outcome is allowed. */
    Expected fault(long cap) {
      if (offset < 0 && length < 0) {
        return Expected.invalidArgument("offset", "length").naming(offset, length);
      }
      if (offset < 0) {
        return Expected.invalidArgument("offset").naming(offset);
      }
      if (length < 0) {
        return Expected.invalidArgument("length").naming(length);
      }
      // Ambiguous: which property names a range past the capacity; either is accepted.
      if (offset > cap || length > cap - offset) {
        return Expected.invalidArgument("offset", "length").naming(offset, length);
      }
      return null;
    }

    /** Ambiguous: whether a zero-length write exactly at the capacity is "past the capacity". */
    boolean eitherOutcome(long cap) {
      return offset == cap && length == 0;
    }
  }

  /** Runs a write call whose fault the model predicts; returns whether it was accepted. */
  static boolean writeCall(World w, ModelDisk m, WriteArgs a, String what, Runnable call) {
    Expected fault = a.fault(m.capacity);
    w.log(
        what
            + "("
            + a.offset
            + ", "
            + a.length
            + ") on "
            + m.id
            + " cap="
            + m.capacity
            + " tracking="
            + m.tracking);
    // Ambiguous: a write past the capacity while tracking is disabled ("accepted and ignored" vs
    // "InvalidArgument"); both are accepted. Same for a zero-length write at the capacity.
    if ((fault != null && !m.tracking) || a.eitherOutcome(m.capacity)) {
      try {
        call.run();
        return false;
      } catch (InvalidArgumentException e) {
        Set<String> ok = fault == null ? Set.of("offset", "length") : fault.properties();
        check(
            ok.contains(e.invalidProperty()),
            what
                + " rejected with invalidProperty "
                + e.invalidProperty()
                + ", expected one of "
                + ok
                + ": "
                + e.getMessage());
        return false;
      }
    }
    expectVoid(fault, what, call);
    return fault == null;
  }

  static void recordInModel(ModelDisk m, WriteArgs a) {
    if (m.tracking && a.length > 0) {
      int e = m.generation.epoch();
      m.generation.writes.add(new ModelWrite(a.offset, a.length, e, e));
    }
  }

  static final class Write extends DiskAction {
    Write() {
      super("write");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      TrackedDisk disk = w.engine.disk(m.id);
      WriteArgs a = WriteArgs.draw(d, m.capacity, m.options.blockSize());
      boolean scoped = d.chance(30);
      boolean accepted =
          writeCall(
              w,
              m,
              a,
              scoped ? "beginWrite+close" : "recordWrite",
              () -> {
                if (scoped) {
                  try (WriteScope s = disk.beginWrite(a.offset, a.length)) {
                    check(s != null, "beginWrite returned null");
                  }
                } else {
                  disk.recordWrite(a.offset, a.length);
                }
              });
      if (accepted) {
        recordInModel(m, a);
      }
    }
  }

  static final class BeginScope extends DiskAction {
    BeginScope() {
      super("beginWrite");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      TrackedDisk disk = w.engine.disk(m.id);
      WriteArgs a = WriteArgs.draw(d, m.capacity, m.options.blockSize());
      WriteScope[] opened = new WriteScope[1];
      boolean accepted =
          writeCall(
              w,
              m,
              a,
              "beginWrite",
              () -> {
                opened[0] = disk.beginWrite(a.offset, a.length);
              });
      if (opened[0] != null) {
        w.scopes.add(new OpenScope(m, opened[0], a.offset, a.length));
      }
      if (accepted) {
        recordInModel(m, a);
      }
    }
  }

  static final class CloseScope extends DiceAction {
    CloseScope() {
      super("closeScope");
    }

    @Override
    public boolean precondition(World w) {
      return !w.scopes.isEmpty();
    }

    @Override
    void run(World w, Dice d) {
      OpenScope s = w.scopes.get(d.pick(w.scopes.size()));
      w.log(
          "close scope ["
              + s.offset
              + "+"
              + s.length
              + "] of "
              + s.disk.id
              + (s.closes > 0 ? " again" : "")
              + (w.disks.get(s.disk.id) != s.disk ? " (disk gone)" : ""));
      s.scope.close();
      s.closes++;
      // Keep a closed scope around now and then, to close it twice.
      if (s.closes > 1 || d.chance(80)) {
        w.scopes.remove(s);
      }
    }
  }

  static final class TakeSnapshot extends DiskAction {
    TakeSnapshot() {
      super("createSnapshot");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      TrackedDisk disk = w.engine.disk(m.id);
      w.log("createSnapshot on " + m.id + " tracking=" + m.tracking);
      if (!m.tracking) {
        expect(
            Expected.of(InvalidStateException.class).naming(m.id),
            "createSnapshot with tracking disabled",
            disk::createSnapshot);
        return;
      }
      SnapshotInfo info = disk.createSnapshot();
      w.log("  -> " + info);

      // The snapshot: a fresh id, the disk's capacity, a changeId in the disk's generation.
      Generation g = m.generation;
      check(
          info.capacityBytes() == m.capacity,
          "snapshot capacity " + info.capacityBytes() + ", disk capacity " + m.capacity);
      check(
          m.everIssued.add(info.id()),
          "snapshot id issued twice on one disk (ids are unique per disk): " + info.id());
      ChangeId cid = info.changeId();
      if (g.id == null) {
        String gen = cid.generationText();
        check(
            w.generationsSeen.add(gen),
            "a new tracking generation reuses the generation of an earlier one: " + gen);
        g.id = cid;
      } else {
        check(cid.sameGeneration(g.id), "changeId " + cid + " left generation " + g.id);
      }
      g.snapshotsTaken++;
      // The lead's documented choice: snapshot k of a generation has sequence k.
      check(
          cid.sequence() == g.snapshotsTaken,
          "changeId sequence "
              + cid.sequence()
              + " for snapshot "
              + g.snapshotsTaken
              + " of the generation");
      check(
          g.snapshotIndexBySequence.put(cid.sequence(), g.snapshotsTaken) == null,
          "changeId sequence issued twice: " + cid);

      // Scopes open across the snapshot belong to the interval after it (and may to the one
      // before). Ambiguous: a scope opened while tracking was disabled or in an earlier generation
      // ("ignored" by section 3, yet "open at a moment of createSnapshot" by section 5) is allowed
      // here but not
      // demanded; ChangeTrackerScenarioTest demands it in tests of its own.
      for (OpenScope s : w.scopes) {
        if (s.disk == m && s.closes == 0 && s.length > 0) {
          g.writes.add(
              new ModelWrite(s.offset, s.length, g.epoch(), g.epoch() - 1, s.openedIn == g));
        }
      }
      ModelSnapshot ms = new ModelSnapshot(m.id, info, g, g.snapshotsTaken, m);
      m.live.put(info.id(), ms);
      w.history.add(ms);
      check(disk.snapshot(info.id()).equals(info), "snapshot(id) differs from createSnapshot's");
    }
  }

  static final class DeleteSnapshot extends DiskAction {
    DeleteSnapshot() {
      super("deleteSnapshot");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      TrackedDisk disk = w.engine.disk(m.id);
      if (!m.live.isEmpty() && d.chance(80)) {
        List<SnapshotId> ids = List.copyOf(m.live.keySet());
        SnapshotId id = ids.get(d.pick(ids.size()));
        w.log("deleteSnapshot(" + id + ") on " + m.id);
        disk.deleteSnapshot(id);
        m.live.remove(id);
        expect(
            Expected.of(NotFoundException.class).naming(id),
            "snapshot(deleted)",
            () -> disk.snapshot(id));
        return;
      }
      SnapshotId id = w.deadSnapshotId(m, d);
      w.log("deleteSnapshot(" + id + ") on " + m.id + ", not live, tracking=" + m.tracking);
      // Ambiguous: with tracking disabled, NotFound (no such snapshot) or InvalidState.
      Expected fault = m.tracking ? Expected.of(NotFoundException.class).naming(id) : null;
      if (fault == null) {
        expectOneOf(
            List.of(NotFoundException.class, InvalidStateException.class),
            "deleteSnapshot with tracking disabled",
            () -> disk.deleteSnapshot(id));
        expectOneOf(
            List.of(NotFoundException.class, InvalidStateException.class),
            "snapshot(id) with tracking disabled",
            () -> disk.snapshot(id));
      } else {
        expect(
            fault,
            "deleteSnapshot of a dead id",
            () -> {
              disk.deleteSnapshot(id);
              return null;
            });
        expect(fault, "snapshot of a dead id", () -> disk.snapshot(id));
      }
    }
  }

  static final class Extend extends DiskAction {
    Extend() {
      super("extend");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      TrackedDisk disk = w.engine.disk(m.id);
      long cap = m.capacity;
      long target;
      boolean valid;
      switch (d.pick(8)) {
        case 0, 1, 2, 3:
          target = cap + 512 * d.below((m.maxCapacity - cap) / 512 + 1);
          valid = true;
          break;
        case 4:
          target = cap;
          valid = true;
          break;
        case 5:
          target = cap - 512 * d.between(1, 4);
          valid = false;
          break;
        case 6:
          target = cap + 1 + d.below(511);
          valid = false;
          break;
        default:
          long[] bad = {0, -512, Long.MIN_VALUE, cap - 1};
          target = bad[d.pick(bad.length)];
          valid = false;
      }
      w.log("extend(" + target + ") on " + m.id + " cap=" + cap);
      long t = target;
      // Equal capacity is not shrinking, so it is accepted (a no-op).
      Expected fault = valid ? null : Expected.invalidArgument("capacityBytes").naming(target);
      expectVoid(fault, "extend", () -> disk.extend(t));
      if (valid) {
        m.capacity = target;
      }
    }
  }

  static final class DisableTracking extends DiskAction {
    DisableTracking() {
      super("disableChangeTracking");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      w.log("disableChangeTracking on " + m.id + " tracking=" + m.tracking);
      w.engine.disk(m.id).disableChangeTracking();
      m.tracking = false;
      m.generation = null;
      m.live.clear();
    }
  }

  static final class EnableTracking extends DiskAction {
    EnableTracking() {
      super("enableChangeTracking");
    }

    @Override
    void run(World w, Dice d) {
      ModelDisk m = w.pickDisk(d);
      w.log("enableChangeTracking on " + m.id + " tracking=" + m.tracking);
      w.engine.disk(m.id).enableChangeTracking();
      if (!m.tracking) {
        m.tracking = true;
        m.generation = new Generation(true);
      }
    }
  }

  static final class Lookups extends DiceAction {
    Lookups() {
      super("lookups");
    }

    @Override
    void run(World w, Dice d) {
      DiskId unused = w.unusedId(d);
      DiskId id = unused != null ? unused : DiskId.of("never-created");
      w.log("lookups of unknown disk " + id);
      expect(
          Expected.of(NotFoundException.class).naming(id),
          "disk(unknown)",
          () -> w.engine.disk(id));
      check(w.engine.findDisk(id).isEmpty(), "findDisk(unknown) not empty");
      expect(
          Expected.of(NotFoundException.class),
          "deleteDisk(unknown)",
          () -> {
            w.engine.deleteDisk(id);
            return null;
          });
      if (!w.disks.isEmpty()) {
        ModelDisk m = w.pickDisk(d);
        for (ModelSnapshot s : m.live.values()) {
          check(
              w.engine.disk(m.id).snapshot(s.info().id()).equals(s.info()),
              "snapshot(" + s.info().id() + ") differs from the model");
        }
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // The query: choose arguments, predict the outcome, page through the answer
  // ---------------------------------------------------------------------------------------------

  static final class Query extends DiskAction {
    Query() {
      super("query");
    }

    @Override
    void run(World w, Dice d) {
      // The disk: usually a live one, sometimes an unknown id.
      DiskId unused = w.unusedId(d);
      if (unused != null && d.chance(4)) {
        DiskId id = unused != null ? unused : DiskId.of("never-created");
        w.log("query on unknown disk " + id);
        Statistics.label("query outcome").collect("NotFound (disk)");
        expect(
            Expected.of(NotFoundException.class).naming(id),
            "query on an unknown disk",
            () -> w.engine.queryChangedDiskAreas(id, SnapshotId.of("s"), -1, "bad"));
        return;
      }
      // Mostly a disk that has snapshots to ask about.
      List<ModelDisk> withSnapshots =
          w.disks.values().stream().filter(x -> !x.live.isEmpty()).toList();
      ModelDisk m =
          !withSnapshots.isEmpty() && d.chance(85)
              ? withSnapshots.get(d.pick(withSnapshots.size()))
              : w.pickDisk(d);
      TrackedDisk disk = w.engine.disk(m.id);
      boolean viaEngine = d.chance(50);

      // The snapshot: usually a live one, sometimes a deleted or unknown one.
      SnapshotId snap;
      ModelSnapshot target = null;
      if (!m.live.isEmpty() && d.pick(10) < 9) {
        List<ModelSnapshot> live = List.copyOf(m.live.values());
        target = live.get(d.pick(live.size()));
        snap = target.info().id();
      } else {
        snap = w.deadSnapshotId(m, d);
      }
      long cap = target != null ? target.info().capacityBytes() : m.capacity;

      String changeId = drawChangeId(w, m, target, d);
      long start = drawStart(d, cap);

      // Predict: the checks of CONTRACT section 3 in their order.
      String call =
          "query("
              + m.id
              + ", "
              + snap
              + ", "
              + start
              + ", "
              + quote(changeId)
              + ")"
              + (viaEngine ? " via engine" : " via disk");
      Supplier<DiskChangeInfo> once =
          viaEngine
              ? () -> w.engine.queryChangedDiskAreas(m.id, snap, start, changeId)
              : () -> disk.queryChangedDiskAreas(snap, start, changeId);
      w.log(call + " tracking=" + m.tracking + " snapshotLive=" + (target != null));
      if (!m.tracking) {
        Statistics.label("query outcome").collect("InvalidState");
        expect(Expected.of(InvalidStateException.class).naming(m.id), call, once::get);
        return;
      }
      if (target == null) {
        Statistics.label("query outcome").collect("NotFound (snapshot)");
        expect(Expected.of(NotFoundException.class).naming(snap), call, once::get);
        return;
      }
      ChangeId parsed = null;
      boolean malformed = false;
      if (!"*".equals(changeId)) {
        try {
          parsed = ChangeId.parse(changeId);
        } catch (InvalidArgumentException e) {
          malformed = true;
        }
      }
      boolean badStart = start < 0 || start >= cap;
      if (malformed || badStart) {
        // Ambiguous: which of the two is reported when both are wrong; either is accepted.
        Expected fault =
            malformed && badStart
                ? Expected.invalidArgument("changeId", "startOffset").naming(changeId, start)
                : malformed
                    ? Expected.invalidArgument("changeId").naming(changeId)
                    : Expected.invalidArgument("startOffset").naming(start);
        Statistics.label("query outcome").collect("InvalidArgument");
        expect(fault, call, once::get);
        return;
      }
      Generation g = m.generation;
      int from;
      if (parsed == null) {
        from = -1;
      } else {
        Integer index =
            parsed.sameGeneration(g.id) ? g.snapshotIndexBySequence.get(parsed.sequence()) : null;
        if (index == null || index > target.index()) {
          Statistics.label("query outcome").collect("FileFault");
          FileFaultException e =
              (FileFaultException)
                  expect(
                      Expected.of(FileFaultException.class).naming(changeId, parsed),
                      call,
                      once::get);
          check(
              FileFaultException.CANNOT_GET_CHANGES.equals(e.faultMessageKey()),
              "faultMessageKey " + e.faultMessageKey() + " for " + call);
          return;
        }
        from = index;
      }

      // Page through the whole answer and compare it with the model.
      PagingClient.Result result =
          PagingClient.queryAll(
              viaEngine
                  ? off -> w.engine.queryChangedDiskAreas(m.id, snap, off, changeId)
                  : off -> disk.queryChangedDiskAreas(snap, off, changeId),
              start,
              cap,
              m.options);
      ByteRangeSet[] expected = expectedChanges(m, g, target, from);
      ByteRangeSet must = expected[0].clip(start, cap);
      ByteRangeSet may = expected[1];
      long[] missing = result.changed().firstGapFor(must);
      check(
          missing == null,
          "write missed: bytes ["
              + missing0(missing)
              + ") not reported by "
              + call
              + "; reported "
              + result.changed()
              + ", must "
              + must);
      long[] extra = result.changed().firstRangeOutside(may);
      check(
          extra == null,
          "false positive beyond block rounding: bytes ["
              + missing0(extra)
              + ") reported by "
              + call
              + "; reported "
              + result.changed()
              + ", may "
              + may);
      if (from == target.index()) {
        check(
            result.changed().isEmpty(),
            "changeId of the queried snapshot itself must give an "
                + "empty answer, got "
                + result.changed()
                + " from "
                + call);
      }
      Statistics.label("query outcome")
          .collect(
              from < 0
                  ? "answered *"
                  : from == target.index() ? "answered (same snapshot)" : "answered");
      Statistics.label("replies per query").collect(Math.min(result.replies().size(), 10));
    }
  }

  /** The bytes that must be reported, and the bytes that may, from snapshot {@code from}. */
  static ByteRangeSet[] expectedChanges(ModelDisk m, Generation g, ModelSnapshot to, int from) {
    long cap = to.info().capacityBytes();
    int bs = m.options.blockSize();
    int lastEpoch = to.index() - 1;
    int firstEpoch = Math.max(from, 0);
    ByteRangeSet.Builder must = ByteRangeSet.builder();
    ByteRangeSet.Builder may = ByteRangeSet.builder();
    if (from < 0 && g.starIsWholeCapacity) {
      must.add(0, cap);
      may.add(0, cap);
    }
    for (ModelWrite mw : g.writes) {
      if (mw.required() && mw.mustEpoch() >= firstEpoch && mw.mustEpoch() <= lastEpoch) {
        must.add(mw.offset(), mw.offset() + mw.length());
      }
      if (mw.mustEpoch() >= firstEpoch && mw.mayEpoch() <= lastEpoch) {
        long lo = mw.offset() / bs * bs;
        long hi = Math.min(cap, roundUp(mw.offset() + mw.length(), bs));
        may.add(lo, hi);
      }
    }
    return new ByteRangeSet[] {must.build(), may.build()};
  }

  static String drawChangeId(World w, ModelDisk m, ModelSnapshot target, Dice d) {
    Generation g = m.generation;
    List<ModelSnapshot> current = new ArrayList<>();
    List<ModelSnapshot> sameDisk = new ArrayList<>();
    for (ModelSnapshot s : w.history) {
      if (g != null && s.generation() == g) {
        current.add(s);
      }
      if (s.disk().equals(m.id)) {
        sameDisk.add(s);
      }
    }
    boolean genKnown = g != null && g.id != null;
    int roll = d.pick(26);
    // 0-3 "*", 4-8 current generation, 9-11 other snapshots, 12-15 crafted, 16-19 malformed.
    int kind = roll < 4 ? 0 : roll < 14 ? 4 + (roll - 4) % 5 : roll - 5;
    if (kind >= 4 && kind <= 8 && current.isEmpty()) {
      kind = 10;
    }
    if (kind >= 9 && kind <= 11 && w.history.isEmpty()) {
      kind = 0;
    }
    if ((kind == 12 || kind == 13 || kind == 15) && !genKnown) {
      kind = 14;
    }
    switch (kind) {
      case 0, 1, 2, 3:
        return "*";
      case 4, 5, 6, 7, 8:
        { // a snapshot of the current generation, live or deleted
          List<ModelSnapshot> earlier =
              target == null
                  ? List.of()
                  : current.stream().filter(s -> s.index() < target.index()).toList();
          List<ModelSnapshot> from = !earlier.isEmpty() && kind < 7 ? earlier : current;
          return from.get(d.pick(from.size())).info().changeId().toString();
        }
      case 9: // the same disk id, any generation
        return sameDisk.isEmpty()
            ? "*"
            : sameDisk.get(d.pick(sameDisk.size())).info().changeId().toString();
      case 10, 11: // any disk, any generation
        return w.history.get(d.pick(w.history.size())).info().changeId().toString();
      case 12: // the current generation, sequence 0 (never issued)
        return ChangeId.of(g.id.generationHigh(), g.id.generationLow(), 0).toString();
      case 13: // the current generation, the next sequence or far beyond (never issued)
        return ChangeId.of(
                g.id.generationHigh(),
                g.id.generationLow(),
                d.chance(50) ? g.snapshotsTaken + 1 : 100_000_000_000_000_000L)
            .toString();
      case 14: // a generation nobody issued
        return ChangeId.of(0x0123456789abcdefL + d.pick(DICE), d.pick(DICE), 1).toString();
      case 15:
        { // upper-case hex, or leading zeros in the sequence: the same changeId
          ChangeId c =
              current.isEmpty() ? g.id : current.get(d.pick(current.size())).info().changeId();
          return d.chance(50)
              ? c.toString().toUpperCase(Locale.ROOT)
              : c.generationText() + "/000" + c.sequence();
        }
      default:
        { // malformed
          String real =
              w.history.isEmpty()
                  ? "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/1"
                  : w.history.get(d.pick(w.history.size())).info().changeId().toString();
          String[] bad = {
            null,
            "",
            "**",
            "* ",
            " *",
            "garbage",
            real.substring(0, 47),
            real.substring(1),
            real + "x",
            real.replace('-', ' '),
            real.substring(0, 48) + "-1",
            real.substring(0, 48) + "1234567890123456789",
            real.replace('/', ':')
          };
          return bad[d.pick(bad.length)];
        }
    }
  }

  static long drawStart(Dice d, long cap) {
    switch (d.pick(10)) {
      case 7:
        return d.below(cap);
      case 8:
        {
          long[] bad = {-1, -512, Long.MIN_VALUE};
          return bad[d.pick(bad.length)];
        }
      case 9:
        {
          long[] bad = {cap, cap + 1, cap + 512, Long.MAX_VALUE};
          return bad[d.pick(bad.length)];
        }
      default:
        return 0;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Checking faults
  // ---------------------------------------------------------------------------------------------

  interface Call<T> {
    T call();
  }

  static void expectVoid(Expected expected, String what, Runnable call) {
    expect(
        expected,
        what,
        () -> {
          call.run();
          return null;
        });
  }

  /**
   * Runs {@code call}; with {@code expected} null it must succeed and its value is returned, else
   * it must throw exactly the expected fault, which is returned.
   */
  static Object expect(Expected expected, String what, Call<?> call) {
    Object value;
    try {
      value = call.call();
    } catch (CbtFault f) {
      if (expected == null) {
        throw new AssertionError(what + ": unexpected " + f.faultType() + ": " + f.getMessage(), f);
      }
      check(
          expected.type().isInstance(f),
          what
              + ": expected "
              + expected.type().getSimpleName()
              + " but got "
              + f.getClass().getSimpleName()
              + ": "
              + f.getMessage());
      check(f.getMessage() != null && !f.getMessage().isBlank(), what + ": fault without message");
      check(
          expected.naming().isEmpty()
              || expected.naming().stream().anyMatch(v -> f.getMessage().contains(v)),
          what
              + ": the message of "
              + f.faultType()
              + " names none of the offending values "
              + expected.naming()
              + ": "
              + f.getMessage());
      if (f instanceof InvalidArgumentException ia) {
        check(
            expected.properties().contains(ia.invalidProperty()),
            what
                + ": InvalidArgument with invalidProperty "
                + ia.invalidProperty()
                + ", expected "
                + expected.properties()
                + ": "
                + ia.getMessage());
      }
      return f;
    } catch (RuntimeException e) {
      throw new AssertionError(
          what
              + ": threw "
              + e
              + " instead of "
              + (expected == null ? "succeeding" : expected.type().getSimpleName()),
          e);
    }
    check(
        expected == null,
        what + ": succeeded (returned " + value + ") but the contract demands " + expected);
    return value;
  }

  static void expectOneOf(List<Class<? extends CbtFault>> types, String what, Runnable call) {
    try {
      call.run();
    } catch (CbtFault f) {
      check(
          types.stream().anyMatch(t -> t.isInstance(f)),
          what + ": got " + f.getClass().getSimpleName() + ", expected one of " + types);
      return;
    }
    throw new AssertionError(what + ": succeeded, expected one of " + types);
  }

  // ---------------------------------------------------------------------------------------------

  static void check(boolean condition, String message) {
    if (!condition) {
      throw new AssertionError(message);
    }
  }

  static long roundUp512(long v) {
    return roundUp(v, 512);
  }

  static long roundUp(long v, long unit) {
    return (v + unit - 1) / unit * unit;
  }

  static String quote(String s) {
    return s == null ? "null" : '"' + s + '"';
  }

  static String missing0(long[] range) {
    return range == null ? "" : range[0] + ", " + range[1];
  }
}
