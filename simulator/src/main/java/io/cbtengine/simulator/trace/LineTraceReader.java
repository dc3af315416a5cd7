package io.cbtengine.simulator.trace;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Base of the text trace readers: reads lines, hands each non-blank line to {@link
 * #parseLine(String)} and turns a {@link Skip} into a counted skip, or, when strict, into a {@link
 * TraceFormatException} naming the file and line.
 *
 * <p>A subclass parses one line into a {@link TraceWrite}, or counts a read or an ignored line and
 * returns {@code null}, or throws one of the preallocated {@link Skip}s.
 */
public abstract class LineTraceReader implements TraceReader {
  private final BufferedReader lines;
  private final String name;
  private final boolean strict;
  private final TraceCounters counters = new TraceCounters();
  private long lineNumber;
  private long recordLimit = Long.MAX_VALUE;

  /**
   * The longest line parsed, in characters; a longer one is skipped as malformed (or fails under
   * strict parsing) without being held in memory whole.
   */
  public static final int MAX_LINE = 1 << 16;

  /** A UTF-8 byte-order mark as read here (ISO-8859-1): dropped from the start of the file. */
  private static final String UTF8_BOM = "\u00EF\u00BB\u00BF";

  private final char[] chunk = new char[1 << 14];
  private int chunkPos;
  private int chunkEnd;
  private final StringBuilder lineBuffer = new StringBuilder();
  private boolean lineTooLong;
  private boolean afterCarriageReturn;

  protected LineTraceReader(InputStream in, String name, boolean strict) {
    this.lines =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
    this.name = name;
    this.strict = strict;
  }

  /**
   * Parses one non-blank line.
   *
   * @return the write, or {@code null} after counting a read or an ignored line
   * @throws Skip if the line cannot be replayed
   */
  protected abstract TraceWrite parseLine(String line) throws Skip;

  /**
   * The next line without its terminator ({@code \n}, {@code \r\n} or {@code \r}), or null at the
   * end; at most {@link #MAX_LINE} characters of it are kept, and {@link #lineTooLong} says whether
   * there were more.
   */
  private String readLine() throws IOException {
    lineBuffer.setLength(0);
    lineTooLong = false;
    boolean any = false;
    while (true) {
      if (chunkPos == chunkEnd) {
        int n = lines.read(chunk, 0, chunk.length);
        if (n < 0) {
          return any ? lineBuffer.toString() : null;
        }
        chunkPos = 0;
        chunkEnd = n;
      }
      char c = chunk[chunkPos++];
      if (afterCarriageReturn) {
        afterCarriageReturn = false;
        if (c == '\n') {
          continue;
        }
      }
      if (c == '\n' || c == '\r') {
        afterCarriageReturn = c == '\r';
        return lineBuffer.toString();
      }
      any = true;
      if (lineBuffer.length() < MAX_LINE) {
        lineBuffer.append(c);
      } else {
        lineTooLong = true;
      }
    }
  }

  @Override
  public final void limitRecords(long records) {
    recordLimit = records;
  }

  @Override
  public final TraceWrite next() throws IOException {
    String line;
    while (counters.records() < recordLimit && (line = readLine()) != null) {
      lineNumber++;
      if (lineNumber == 1 && line.startsWith(UTF8_BOM)) {
        line = line.substring(UTF8_BOM.length());
      }
      if (!lineTooLong && line.isBlank()) {
        counters.countIgnored();
        continue;
      }
      try {
        if (lineTooLong) {
          throw Skip.MALFORMED;
        }
        TraceWrite write = parseLine(line);
        if (write != null) {
          counters.countWrite();
          return write;
        }
      } catch (Skip skip) {
        if (strict) {
          throw new TraceFormatException(
              format().displayName()
                  + " trace "
                  + name
                  + ", line "
                  + lineNumber
                  + ": "
                  + skip.reason.label()
                  + ": "
                  + (lineTooLong ? "longer than " + MAX_LINE + " characters: " : "")
                  + clip(display(line)));
        }
        counters.countSkip(skip.reason);
      }
    }
    return null;
  }

  /** The number of the line being parsed, from 1. */
  protected final long lineNumber() {
    return lineNumber;
  }

  /** The file name given at construction. */
  protected final String name() {
    return name;
  }

  @Override
  public final TraceCounters counters() {
    return counters;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }

  private static String clip(String line) {
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  /**
   * A line as read (one char per byte) made readable in a message: its bytes decoded as UTF-8 if
   * they are valid UTF-8, else as they are with every byte above 0x7F written {@code \xNN}; in both
   * cases a character that would not show (a control or format character, such as a byte-order mark
   * inside the file) is written {@code <U+NNNN>}.
   */
  static String display(String latin1) {
    byte[] bytes = latin1.getBytes(StandardCharsets.ISO_8859_1);
    String text;
    boolean utf8;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(bytes))
              .toString();
      utf8 = true;
    } catch (CharacterCodingException e) {
      text = latin1;
      utf8 = false;
    }
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (!utf8 && c > 0x7F) {
        out.append(String.format("\\x%02X", (int) c));
      } else if (c != '\t'
          && (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT)) {
        out.append(String.format("<U+%04X>", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  // Parsing helpers shared by the formats.

  /** Splits {@code line} at {@code sep}; fields are trimmed. */
  protected static String[] split(String line, char sep) {
    int count = 1;
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == sep) {
        count++;
      }
    }
    String[] fields = new String[count];
    int start = 0;
    int f = 0;
    for (int i = 0; i <= line.length(); i++) {
      if (i == line.length() || line.charAt(i) == sep) {
        fields[f++] = line.substring(start, i).trim();
        start = i + 1;
      }
    }
    return fields;
  }

  /** Splits {@code line} at runs of spaces and tabs, ignoring leading and trailing blanks. */
  protected static String[] splitWhitespace(String line) {
    return line.trim().split("[ \\t]+");
  }

  /**
   * A decimal integer, possibly negative. A leading {@code +}, which {@link Long#parseLong} takes,
   * is malformed: no trace format writes one, so it is damage.
   */
  protected static long parseLong(String field) throws Skip {
    if (field.startsWith("+")) {
      throw Skip.MALFORMED;
    }
    try {
      return Long.parseLong(field);
    } catch (NumberFormatException e) {
      throw Skip.MALFORMED;
    }
  }

  /**
   * A non-negative decimal number with an optional fraction, scaled by {@code unitNanos} into
   * nanoseconds, e.g. {@code "1.5"} seconds with {@code unitNanos = 1e9} gives 1,500,000,000.
   */
  protected static long parseDecimalTime(String field, long unitNanos) throws Skip {
    try {
      int dot = field.indexOf('.');
      if (dot < 0) {
        return Math.multiplyExact(Long.parseLong(field), unitNanos);
      }
      long whole = dot == 0 ? 0 : Long.parseLong(field.substring(0, dot));
      String frac = field.substring(dot + 1);
      long fracNanos = 0;
      if (!frac.isEmpty()) {
        double f = Double.parseDouble("0." + frac);
        fracNanos = Math.round(f * unitNanos);
      }
      return Math.addExact(Math.multiplyExact(whole, unitNanos), fracNanos);
    } catch (NumberFormatException | ArithmeticException e) {
      throw Skip.MALFORMED;
    }
  }

  /** Checks a request's offset and length in bytes. */
  protected static void checkRequest(long offset, long length) throws Skip {
    if (offset < 0 || length < 0) {
      throw Skip.NEGATIVE;
    }
    if (length == 0) {
      throw Skip.ZERO_SIZE;
    }
  }

  /** Multiplies a sector count by 512, or skips a value so large it overflows. */
  protected static long sectors(long count) throws Skip {
    if (count < 0) {
      throw Skip.NEGATIVE;
    }
    if (count > Long.MAX_VALUE / 512) {
      throw Skip.MALFORMED;
    }
    return count * 512;
  }

  /**
   * A record that cannot be replayed, with its reason. Preallocated and stackless: skips are
   * control flow, frequent in real traces, and carry no other state.
   */
  public static final class Skip extends Exception {
    private static final long serialVersionUID = 1L;

    public static final Skip MALFORMED = new Skip(SkipReason.MALFORMED);
    public static final Skip TRUNCATED = new Skip(SkipReason.TRUNCATED);
    public static final Skip ZERO_SIZE = new Skip(SkipReason.ZERO_SIZE);
    public static final Skip NEGATIVE = new Skip(SkipReason.NEGATIVE);
    public static final Skip UNKNOWN_OPCODE = new Skip(SkipReason.UNKNOWN_OPCODE);

    private final SkipReason reason;

    private Skip(SkipReason reason) {
      super(reason.label(), null, false, false);
      this.reason = reason;
    }

    public SkipReason reason() {
      return reason;
    }
  }
}
