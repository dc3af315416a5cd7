package io.cbtengine.simulator.vsphere;

import io.cbtengine.api.ChangeTracker;
import io.cbtengine.simulator.IoProblems;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What {@code cbt-sim serve --port P --user U --password-file F [--bind ADDR]} does, without the
 * command-line parsing: read the password, start a {@link VsphereJsonServer}, print {@code
 * listening on http://ADDR:PORT/sdk}, and serve until the JVM is stopped.
 *
 * <p>The password file holds the password on its first line; a trailing line break is not part of
 * it. The password is never printed.
 */
public final class ServeLauncher {
  /** The exit code of bad usage or unreadable input, as every {@code cbt-sim} command uses it. */
  public static final int EXIT_USAGE = 2;

  /**
   * The exit code of a server one of whose threads died of an {@link OutOfMemoryError}: it exits at
   * once rather than serve on with dead threads. The same code as the JVM's own {@code
   * -XX:+ExitOnOutOfMemoryError}.
   */
  public static final int EXIT_OUT_OF_MEMORY = 3;

  private static final byte[] OUT_OF_MEMORY_MESSAGE =
      ("cbt-sim serve: a thread died of an OutOfMemoryError; exiting with code "
              + EXIT_OUT_OF_MEMORY
              + ", without closing the engine\n")
          .getBytes(StandardCharsets.US_ASCII);

  private static final java.util.concurrent.atomic.AtomicBoolean EXIT_ON_OOM_INSTALLED =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * Makes an {@link OutOfMemoryError} that kills any thread end the process with {@link
   * #EXIT_OUT_OF_MEMORY}; installed once per JVM. An OutOfMemoryError in the HTTP server's threads
   * used to leave the process up with its dispatcher dead: every request hung, and SIGTERM (whose
   * handler needs memory too) did not stop it. The message is written from bytes and a stream made
   * here, before memory runs out; the engine is not closed (that needs memory), so a persistent one
   * recovers at its next open as after a crash. Best effort: with the heap exhausted by live
   * objects the JVM cannot run the handler at all (docs/simulator.md). Other uncaught exceptions go
   * to the handler there was before.
   */
  public static void exitOnOutOfMemory() {
    if (!EXIT_ON_OOM_INSTALLED.compareAndSet(false, true)) {
      return;
    }
    java.io.FileOutputStream stderr = new java.io.FileOutputStream(java.io.FileDescriptor.err);
    Thread.UncaughtExceptionHandler previous = Thread.getDefaultUncaughtExceptionHandler();
    Thread.setDefaultUncaughtExceptionHandler(
        (thread, e) -> {
          if (e instanceof OutOfMemoryError) {
            try {
              stderr.write(OUT_OF_MEMORY_MESSAGE);
            } catch (Throwable ignored) {
              // Nothing more can be said; the exit code says it.
            }
            Runtime.getRuntime().halt(EXIT_OUT_OF_MEMORY);
          }
          if (previous != null) {
            previous.uncaughtException(thread, e);
          } else {
            // What the JVM prints without a handler (the thread group would call this one again).
            System.err.print("Exception in thread \"" + thread.getName() + "\" ");
            e.printStackTrace(System.err);
          }
        });
  }

  private ServeLauncher() {}

  /**
   * Starts the server and prints the {@code listening on} line to {@code out}; a warning to {@code
   * out} too if the address is not a loopback one. {@code tracker} is the engine to serve, or null
   * for a new in-memory one that the server closes.
   *
   * @throws IllegalArgumentException if the password file is unreadable or empty, or the bind
   *     address is not an IP literal
   * @throws IOException if the address cannot be bound
   */
  public static VsphereJsonServer start(
      String bindAddress,
      int port,
      String userName,
      Path passwordFile,
      ChangeTracker tracker,
      PrintWriter out)
      throws IOException {
    char[] password = readPassword(passwordFile);
    InetAddress bind = parseLiteral(bindAddress);
    VsphereJsonServer.Config config;
    try {
      config =
          VsphereJsonServer.Config.builder()
              .bindAddress(bind.getHostAddress())
              .port(port)
              .userName(userName)
              .password(password)
              .tracker(tracker)
              .build();
    } finally {
      Arrays.fill(password, '\0');
    }

    VsphereJsonServer server = VsphereJsonServer.start(config);
    if (!bind.isLoopbackAddress()) {
      out.println(
          "warning: serving on a non-loopback address, reachable from other hosts: bind="
              + bind.getHostAddress());
    }
    out.println("listening on " + server.sdkUri());
    out.flush();
    return server;
  }

  /**
   * Starts the server and blocks until the JVM shuts down (Ctrl-C, SIGTERM), then closes it and
   * {@code tracker} (if not null) in a shutdown hook, so that a persistent engine closes cleanly.
   * Runs {@code whenListening} once the server listens (a live replay starts only then, so that a
   * server that cannot start has replayed nothing).
   *
   * @return 0 after a clean stop, {@link #EXIT_USAGE} if the server could not start (the reason is
   *     printed to {@code err})
   */
  public static int serve(
      String bindAddress,
      int port,
      String userName,
      Path passwordFile,
      ChangeTracker tracker,
      PrintWriter out,
      PrintWriter err,
      Runnable whenListening) {
    exitOnOutOfMemory();
    // The hook is registered before the server starts, so that a signal sent as soon as the
    // "listening on" line shows still closes the server and the engine cleanly.
    AtomicReference<VsphereJsonServer> running = new AtomicReference<>();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              VsphereJsonServer s = running.get();
              if (s != null) {
                s.close();
              }
              if (tracker != null) {
                tracker.close();
              }
              stopped.countDown();
            },
            "cbt-sim-serve-shutdown");
    try {
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      if (tracker != null) {
        tracker.close();
      }
      return 0;
    }

    VsphereJsonServer server;
    try {
      server = start(bindAddress, port, userName, passwordFile, tracker, out);
    } catch (IllegalArgumentException | IOException e) {
      String why =
          e instanceof java.net.BindException
              ? "cannot listen on --bind " + bindAddress + " --port " + port + ": " + e.getMessage()
              : e.getMessage();
      err.println("cbt-sim serve: " + why);
      if (e instanceof IllegalArgumentException) {
        // A bad password file or bind address: the user's to fix, like any usage error.
        err.println("Try 'cbt-sim serve --help' for the options.");
      }
      err.flush();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook closes the tracker.
        return EXIT_USAGE;
      }
      if (tracker != null) {
        tracker.close();
      }
      return EXIT_USAGE;
    }
    running.set(server);

    whenListening.run();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      if (tracker != null) {
        tracker.close();
      }
    }
    return 0;
  }

  /** The longest first line a password file may have, in bytes. */
  static final int MAX_PASSWORD_LINE = 4096;

  /** The first line of the file, without its line break. */
  static char[] readPassword(Path file) {
    // A bounded read of a regular file: a device such as /dev/zero would never end, a pipe with no
    // writer would block forever.
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--password-file: the password file is not a regular file: file=" + file);
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_PASSWORD_LINE + 4);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "--password-file: cannot read the password file: file="
              + file
              + ", problem="
              + IoProblems.describe(e));
    }
    try {
      // A UTF-8 byte-order mark (as some editors save) is not part of the password.
      int start =
          bytes.length >= 3
                  && bytes[0] == (byte) 0xEF
                  && bytes[1] == (byte) 0xBB
                  && bytes[2] == (byte) 0xBF
              ? 3
              : 0;
      int end = start;
      while (end < bytes.length && bytes[end] != '\n' && bytes[end] != '\r') {
        end++;
      }
      if (end - start > MAX_PASSWORD_LINE) {
        throw new IllegalArgumentException(
            "--password-file: the password file's first line is longer than "
                + MAX_PASSWORD_LINE
                + " bytes: file="
                + file);
      }
      if (end == start) {
        throw new IllegalArgumentException(
            "--password-file: the password file's first line is empty: file=" + file);
      }
      boolean blank = true;
      for (int i = start; i < end && blank; i++) {
        blank = bytes[i] == ' ' || bytes[i] == '\t';
      }
      if (blank) {
        throw new IllegalArgumentException(
            "--password-file: the password file's first line is only blanks: file=" + file);
      }
      var chars =
          StandardCharsets.UTF_8.decode(java.nio.ByteBuffer.wrap(bytes, start, end - start));
      char[] password = new char[chars.remaining()];
      chars.get(password);
      Arrays.fill(chars.array(), '\0');
      return password;
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Four decimal numbers 0 to 255 without leading zeros, joined by dots. */
  private static boolean isDottedQuad(String address) {
    String[] parts = address.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (!p.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(p) > 255) {
        return false;
      }
    }
    return true;
  }

  private static InetAddress parseLiteral(String address) {
    // An IP literal only: a host name would mean a name lookup, and an address we cannot predict.
    // IPv4 in its four dotted parts only: the resolver reads 127.1 as 127.0.0.1 and 10 as 0.0.0.10.
    boolean ipv4 = isDottedQuad(address);
    // IPv6: hex digits, colons and dots only; anything else would reach the resolver.
    // It must start as Java's literal parser expects (a hex digit or a colon); '.:' would not.
    boolean ipv6 = address.contains(":") && address.matches("[0-9A-Fa-f:][0-9A-Fa-f:.]*");
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException(
          "--bind takes an IP address (IPv4 as four dotted numbers, or IPv6): bind=" + address);
    }
    try {
      return InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("--bind takes an IP address: bind=" + address);
    }
  }
}
