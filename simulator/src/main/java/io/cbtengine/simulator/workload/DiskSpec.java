package io.cbtengine.simulator.workload;

/** A disk a workload writes to, and its capacity in bytes when the replay starts. */
public record DiskSpec(String id, long capacity) {}
