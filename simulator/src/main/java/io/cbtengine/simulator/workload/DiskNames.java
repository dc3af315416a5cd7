package io.cbtengine.simulator.workload;

import io.cbtengine.simulator.trace.TraceFormat;

/** Turns a trace's device names into disk ids: {@code <format>-<device>}, e.g. {@code msr-hm_0}. */
public final class DiskNames {
  private DiskNames() {}

  /**
   * The disk id of {@code device} in a trace of {@code format}. Characters a disk id may not hold
   * become {@code _}; ids are cut to 128 characters.
   */
  public static String diskId(TraceFormat format, String device) {
    StringBuilder sb = new StringBuilder(format.id()).append('-');
    for (int i = 0; i < device.length(); i++) {
      char c = device.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == '-';
      sb.append(ok ? c : '_');
    }
    return sb.length() <= 128 ? sb.toString() : sb.substring(0, 128);
  }
}
