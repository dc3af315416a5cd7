package io.cbtengine.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * The JVM flags the engine needs (Chronicle Map's module opens and its no-network properties), read
 * from {@code cbt-jvm-flags.properties}, which Maven filters from the root pom's {@code
 * cbt.jvm.opens} and {@code cbt.jvm.props}: the build defines them in one place only.
 *
 * <p>{@code main} prints them on one line, for scripts: {@code java $(java -cp benchmarks.jar
 * io.cbtengine.benchmarks.JvmFlags) -jar benchmarks.jar ...}.
 */
public final class JvmFlags {
  private static final String RESOURCE = "/cbt-jvm-flags.properties";

  private JvmFlags() {}

  /** The flags, one per element, in the order opens then properties. */
  public static List<String> chronicleFlags() {
    Properties p = new Properties();
    try (InputStream in = JvmFlags.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource: " + RESOURCE);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> flags = new ArrayList<>();
    for (String key : new String[] {"cbt.jvm.opens", "cbt.jvm.props"}) {
      String value = p.getProperty(key, "").trim();
      if (value.isEmpty() || value.contains("${")) {
        throw new IllegalStateException(
            "unfiltered flags in " + RESOURCE + ": " + key + "=" + value);
      }
      flags.addAll(Arrays.asList(value.split("\\s+")));
    }
    return flags;
  }

  /**
   * Fails fast when the engine is about to run in a JVM started without the flags, instead of
   * measuring Chronicle's fallbacks or letting it phone home.
   */
  static void requireChronicleFlags() {
    if (!"true".equals(System.getProperty("chronicle.analytics.disable"))) {
      throw new IllegalStateException(
          "the engine needs the JVM flags of cbt-jvm-flags.properties: run BenchmarkSuite, or pass"
              + " -jvmArgsAppend \"$(java -cp benchmarks.jar io.cbtengine.benchmarks.JvmFlags)\"");
    }
  }

  public static void main(String[] args) {
    System.out.println(String.join(" ", chronicleFlags()));
  }
}
