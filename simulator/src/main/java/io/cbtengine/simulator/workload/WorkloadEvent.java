package io.cbtengine.simulator.workload;

/** One step of a workload: a write to a disk, or the growth of a disk. */
public sealed interface WorkloadEvent {
  /** The disk the event concerns. */
  String disk();

  /** The event's time in the workload's clock, nanoseconds. */
  long timeNanos();

  /**
   * A write of {@code [offset, offset + length)}.
   *
   * @param source the trace file name, or {@code synthetic}
   * @param position the line or record in the source, or -1
   */
  record Write(String disk, long offset, long length, long timeNanos, String source, long position)
      implements WorkloadEvent {}

  /** The disk grows to {@code newCapacity} bytes. */
  record Extend(String disk, long newCapacity, long timeNanos) implements WorkloadEvent {}
}
