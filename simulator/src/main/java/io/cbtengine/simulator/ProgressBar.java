package io.cbtengine.simulator;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on stderr, at most five times a second. Draws nothing
 * when disabled (no console attached, or quiet). Not thread-safe.
 */
final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintWriter err;
  private final boolean enabled;
  private final long total;
  private final long startNanos = System.nanoTime();
  private long lastDraw;
  private boolean drawn;

  ProgressBar(PrintWriter err, boolean enabled, long total) {
    this.err = err;
    this.enabled = enabled && total > 0;
    this.total = total;
  }

  void update(long done, long backups) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now - lastDraw < REDRAW_NANOS) {
      return;
    }
    lastDraw = now;
    double fraction = Math.min(1.0, (double) done / total);
    int filled = (int) (fraction * WIDTH);
    double seconds = (now - startNanos) / 1e9;
    err.print(
        String.format(
            Locale.ROOT,
            "\r[%s%s] %5.1f%% %,d/%,d events, %,d backups, %.0f s ",
            "#".repeat(filled),
            ".".repeat(WIDTH - filled),
            fraction * 100,
            done,
            total,
            backups,
            seconds));
    err.flush();
    drawn = true;
  }

  /** Erases the bar. */
  void finish() {
    if (drawn) {
      err.print("\r" + " ".repeat(WIDTH + 80) + "\r");
      err.flush();
    }
  }
}
