package io.cbtengine.simulator.cli;

import java.util.Locale;
import java.util.function.Supplier;

/** Parses sizes and intervals given on the command line. */
final class Sizes {
  private Sizes() {}

  /**
   * A byte count: digits with an optional binary unit {@code k, m, g, t} (also {@code KiB}, {@code
   * KB}, ...), e.g. {@code 4096}, {@code 64k}, {@code 2GiB}.
   *
   * @throws IllegalArgumentException naming the option and the text if it is not a positive size
   */
  static long parseBytes(String option, String text) {
    return named(option, () -> parseBytes(text));
  }

  private static long parseBytes(String text) {
    NumberAndUnit n =
        split(
            text,
            "a size",
            "e.g. 4096, 64k, 2g",
            "sizes are whole numbers",
            "4608 or 4608b, not 4.5k");
    long value = n.value();
    String unit = n.unit();
    long scale =
        switch (unit) {
          case "", "b" -> 1L;
          case "k", "kb", "kib" -> 1L << 10;
          case "m", "mb", "mib" -> 1L << 20;
          case "g", "gb", "gib" -> 1L << 30;
          case "t", "tb", "tib" -> 1L << 40;
          default ->
              throw new IllegalArgumentException(
                  "unknown size unit in '" + text + "' (use k, m, g or t)");
        };
    if (value <= 0) {
      throw new IllegalArgumentException("size must be positive: '" + text + "'");
    }
    if (value > Long.MAX_VALUE / scale) {
      throw new IllegalArgumentException("size too large: '" + text + "'");
    }
    return value * scale;
  }

  private record NumberAndUnit(long value, String unit) {}

  /**
   * Splits {@code text} (trimmed, lower case) into its leading ASCII digits and the unit after them
   * (trimmed), refusing what is not a whole number in words naming the {@code noun} ("a size").
   */
  private static NumberAndUnit split(
      String text, String noun, String forms, String wholeNumbers, String wholeExample) {
    String kind = noun.substring(noun.indexOf(' ') + 1);
    String t = text.trim().toLowerCase(Locale.ROOT);
    int i = 0;
    while (i < t.length() && isAsciiDigit(t.charAt(i))) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("not " + noun + ": '" + text + "' (" + forms + ")");
    }
    long value;
    try {
      value = Long.parseLong(t.substring(0, i));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(kind + " too large: '" + text + "'");
    }
    String unit = t.substring(i).trim();
    if (unit.startsWith(",") || unit.startsWith("_")) {
      throw new IllegalArgumentException(
          "write the number without separators: '" + text + "' (e.g. 10000, not 10,000)");
    }
    if (unit.startsWith(".")) {
      throw new IllegalArgumentException(
          wholeNumbers + ": '" + text + "' (e.g. " + wholeExample + ")");
    }
    return new NumberAndUnit(value, unit);
  }

  /** Only 0-9: {@code Character.isDigit} also accepts other scripts' digits. */
  private static boolean isAsciiDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** A snapshot interval: a number of writes, or a workload time. */
  record Interval(long writes, long nanos) {}

  /**
   * {@code N} (writes) or {@code N} followed by {@code ms}, {@code s}, {@code m} or {@code h}
   * (trace time), e.g. {@code 5000}, {@code 30s}.
   *
   * @throws IllegalArgumentException naming the option and the text if it is neither
   */
  static Interval parseInterval(String option, String text) {
    return named(option, () -> parseInterval(text));
  }

  /** Runs {@code parse}, prefixing the message of its failure with the option's name. */
  private static <T> T named(String option, Supplier<T> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + ": " + e.getMessage(), e);
    }
  }

  private static Interval parseInterval(String text) {
    NumberAndUnit n =
        split(
            text,
            "an interval",
            "a number of writes, or a time such as 30s",
            "intervals are whole numbers",
            "500ms, not 0.5s");
    long value = n.value();
    String unit = n.unit();
    long nanosPerUnit =
        switch (unit) {
          case "", "w", "writes" -> 0;
          case "ms" -> 1_000_000L;
          case "s" -> 1_000_000_000L;
          case "m", "min" -> 60_000_000_000L;
          case "h" -> 3_600_000_000_000L;
          default ->
              throw new IllegalArgumentException(
                  "unknown interval unit in '"
                      + text
                      + "' (use ms, s, m or min, h;"
                      + " or w, writes or no unit for a count of writes)");
        };
    if (value <= 0) {
      throw new IllegalArgumentException("interval must be positive: '" + text + "'");
    }
    if (nanosPerUnit == 0) {
      return new Interval(value, 0);
    }
    if (value > Long.MAX_VALUE / nanosPerUnit) {
      throw new IllegalArgumentException(
          "interval too large: '" + text + "' (at most about 292 years of trace time)");
    }
    return new Interval(0, value * nanosPerUnit);
  }
}
