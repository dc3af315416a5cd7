package io.cbtengine.api;

/**
 * Names a point in a disk's change history, in vSphere's form: the 16-byte tracking generation as
 * hex pairs separated by spaces, with a dash after the 8th byte, then {@code /} and a decimal
 * sequence number, e.g. {@code "52 2d 7b 8f ac 61 51 cc-77 4c 7b ec 91 50 bb 7b/17"}.
 *
 * <p>The generation changes whenever the disk's tracking history starts over (tracking re-enabled,
 * disk re-created, history reset after an unclean stop); the sequence counts the points issued
 * within one generation. Immutable and thread-safe.
 */
public final class ChangeId implements Comparable<ChangeId> {
  /** The length of the textual form. */
  public static final int GENERATION_TEXT_LENGTH = 47;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final long generationHigh;
  private final long generationLow;
  private final long sequence;

  private ChangeId(long generationHigh, long generationLow, long sequence) {
    this.generationHigh = generationHigh;
    this.generationLow = generationLow;
    this.sequence = sequence;
  }

  /**
   * Builds a changeId from the two halves of the generation (big-endian) and a sequence.
   *
   * @throws IllegalArgumentException if {@code sequence} is negative
   */
  public static ChangeId of(long generationHigh, long generationLow, long sequence) {
    if (sequence < 0) {
      throw new IllegalArgumentException("negative sequence: sequence=" + sequence);
    }
    return new ChangeId(generationHigh, generationLow, sequence);
  }

  /**
   * Parses the vSphere form. Hex digits may be upper or lower case; nothing else varies.
   *
   * @throws InvalidArgumentException (invalidProperty {@code changeId}) if the text is malformed
   */
  public static ChangeId parse(String text) {
    if (text == null) {
      throw new InvalidArgumentException("changeId", "malformed changeId: changeId=null");
    }
    int slash = text.indexOf('/');
    if (slash != GENERATION_TEXT_LENGTH) {
      throw malformed(
          text,
          (slash < 0 ? "no '/'" : "'/' at index " + slash)
              + " (length "
              + text.length()
              + "); expected 16 hex pairs, then '/' at index "
              + GENERATION_TEXT_LENGTH
              + ", then the sequence");
    }
    long high = 0;
    long low = 0;
    for (int b = 0; b < 16; b++) {
      int pos = b * 3;
      if (b > 0) {
        char sep = text.charAt(pos - 1);
        char want = b == 8 ? '-' : ' ';
        if (sep != want) {
          throw malformed(text, "expected '" + want + "' at index " + (pos - 1));
        }
      }
      int hi = hexValue(text.charAt(pos));
      int lo = hexValue(text.charAt(pos + 1));
      if (hi < 0 || lo < 0) {
        throw malformed(text, "expected a hex pair at index " + pos);
      }
      int value = (hi << 4) | lo;
      if (b < 8) {
        high = (high << 8) | value;
      } else {
        low = (low << 8) | value;
      }
    }
    String seqText = text.substring(slash + 1);
    if (seqText.isEmpty() || seqText.length() > 18) {
      throw malformed(text, "sequence must be 1 to 18 decimal digits");
    }
    long seq = 0;
    for (int i = 0; i < seqText.length(); i++) {
      char c = seqText.charAt(i);
      if (c < '0' || c > '9') {
        throw malformed(text, "sequence must be decimal digits");
      }
      seq = seq * 10 + (c - '0');
    }
    return new ChangeId(high, low, seq);
  }

  private static int hexValue(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static InvalidArgumentException malformed(String text, String problem) {
    String shown = text.length() <= 100 ? text : text.substring(0, 100) + "...";
    return new InvalidArgumentException(
        "changeId", "malformed changeId: " + problem + ": changeId=\"" + shown + "\"");
  }

  /** The first 8 bytes of the generation, big-endian. */
  public long generationHigh() {
    return generationHigh;
  }

  /** The last 8 bytes of the generation, big-endian. */
  public long generationLow() {
    return generationLow;
  }

  /** The sequence number within the generation. */
  public long sequence() {
    return sequence;
  }

  /** Whether {@code other} belongs to the same tracking generation. */
  public boolean sameGeneration(ChangeId other) {
    return generationHigh == other.generationHigh && generationLow == other.generationLow;
  }

  /** The generation part of the textual form, without {@code /sequence}. */
  public String generationText() {
    StringBuilder sb = new StringBuilder(GENERATION_TEXT_LENGTH);
    appendHex(sb, generationHigh, ' ');
    sb.append('-');
    appendHex(sb, generationLow, ' ');
    return sb.toString();
  }

  private static void appendHex(StringBuilder sb, long value, char sep) {
    for (int i = 7; i >= 0; i--) {
      int b = (int) (value >>> (i * 8)) & 0xff;
      sb.append(HEX[b >>> 4]).append(HEX[b & 0xf]);
      if (i > 0) {
        sb.append(sep);
      }
    }
  }

  @Override
  public String toString() {
    return generationText() + '/' + sequence;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChangeId c
        && c.generationHigh == generationHigh
        && c.generationLow == generationLow
        && c.sequence == sequence;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(generationHigh * 31 + generationLow) * 31 + Long.hashCode(sequence);
  }

  /** Orders by generation, then sequence. Only the order within one generation means anything. */
  @Override
  public int compareTo(ChangeId o) {
    int c = Long.compare(generationHigh, o.generationHigh);
    if (c == 0) {
      c = Long.compare(generationLow, o.generationLow);
    }
    return c != 0 ? c : Long.compare(sequence, o.sequence);
  }
}
