package io.cbtengine.simulator.trace;

/**
 * One write request of a trace.
 *
 * @param device the volume or device the trace names, as text ("0", "hm_0", "8,16"); the simulator
 *     derives the disk id from it
 * @param offset the first byte written
 * @param length the number of bytes written, positive
 * @param timeNanos the trace timestamp in nanoseconds since the trace's own epoch; not necessarily
 *     increasing
 * @param position the line number (text formats) or record number (binary formats), from 1
 */
public record TraceWrite(String device, long offset, long length, long timeNanos, long position) {}
