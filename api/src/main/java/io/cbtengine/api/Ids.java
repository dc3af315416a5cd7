package io.cbtengine.api;

/** Validation shared by {@link DiskId} and {@link SnapshotId}. */
final class Ids {
  static final int MAX_LENGTH = 128;

  private Ids() {}

  static void check(String property, String value) {
    if (value == null) {
      throw new InvalidArgumentException(property, "id is null: " + property + "=null");
    }
    int n = value.length();
    if (n < 1 || n > MAX_LENGTH) {
      throw new InvalidArgumentException(
          property,
          "id length out of range 1.." + MAX_LENGTH + ": length=" + n + ", id=" + clip(value));
    }
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '.'
              || c == '_'
              || c == ':'
              || c == '-';
      if (!ok) {
        throw new InvalidArgumentException(
            property,
            "id has a character outside [A-Za-z0-9._:-]: index=" + i + ", id=" + clip(value));
      }
    }
  }

  private static String clip(String value) {
    return value.length() <= 160 ? '"' + value + '"' : '"' + value.substring(0, 160) + "...\"";
  }
}
