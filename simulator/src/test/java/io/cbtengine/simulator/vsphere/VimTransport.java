package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** One way of sending a request to the server: the JDK's HTTP client, or curl. */
interface VimTransport {
  ObjectMapper JSON = new ObjectMapper();

  /** A reply: status, the session header if any, the body parsed (null when empty). */
  record Reply(int status, String sessionHeader, JsonNode body, String rawBody) {}

  /** POSTs {@code json} (null for none) to {@code path}, with the session header if not null. */
  Reply post(String path, String json, String session) throws IOException, InterruptedException;

  Reply get(String path, String session) throws IOException, InterruptedException;

  static JsonNode parse(String raw) throws IOException {
    return raw.isBlank() ? null : JSON.readTree(raw);
  }

  /** The JDK's HTTP client, HTTP/1.1, no proxy, talking to 127.0.0.1 only. */
  final class Jdk implements VimTransport {
    private final URI base;
    private final HttpClient client;

    Jdk(URI base) {
      this(
          base,
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(10))
              .build());
    }

    Jdk(URI base, HttpClient client) {
      this.base = base;
      this.client = client;
    }

    @Override
    public Reply post(String path, String json, String session)
        throws IOException, InterruptedException {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(base.resolve(path))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .POST(
                  json == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(json));
      return send(b, session);
    }

    @Override
    public Reply get(String path, String session) throws IOException, InterruptedException {
      return send(
          HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET(),
          session);
    }

    private Reply send(HttpRequest.Builder b, String session)
        throws IOException, InterruptedException {
      if (session != null) {
        b.header(VsphereJsonServer.SESSION_HEADER, session);
      }
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      String raw = r.body();
      return new Reply(
          r.statusCode(),
          r.headers().firstValue(VsphereJsonServer.SESSION_HEADER).orElse(null),
          parse(raw),
          raw);
    }
  }

  /** curl as a separate process per request; the body goes through stdin, never the argv. */
  final class Curl implements VimTransport {
    private final URI base;
    private final Path dir;

    Curl(URI base, Path dir) {
      this.base = base;
      this.dir = dir;
    }

    static boolean available() {
      try {
        Process p = new ProcessBuilder("curl", "--version").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public Reply post(String path, String json, String session)
        throws IOException, InterruptedException {
      return run("POST", path, json == null ? "" : json, session);
    }

    @Override
    public Reply get(String path, String session) throws IOException, InterruptedException {
      return run("GET", path, null, session);
    }

    private Reply run(String verb, String path, String json, String session)
        throws IOException, InterruptedException {
      Path headers = Files.createTempFile(dir, "h", ".txt");
      Path body = Files.createTempFile(dir, "b", ".json");
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  "curl",
                  "-sS",
                  "--noproxy",
                  "*",
                  "--max-time",
                  "30",
                  "-X",
                  verb,
                  "-D",
                  headers.toString(),
                  "-o",
                  body.toString(),
                  "-w",
                  "%{http_code}"));
      if (session != null) {
        cmd.addAll(List.of("-H", VsphereJsonServer.SESSION_HEADER + ": " + session));
      }
      if (json != null) {
        cmd.addAll(List.of("-H", "Content-Type: application/json", "--data-binary", "@-"));
      }
      cmd.add(base.resolve(path).toString());

      Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (var in = p.getOutputStream()) {
        if (json != null) {
          in.write(json.getBytes(StandardCharsets.UTF_8));
        }
      }
      String status = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IOException("curl failed: exit=" + (p.isAlive() ? "timeout" : p.exitValue()));
      }

      String session2 = null;
      for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
        int colon = line.indexOf(':');
        if (colon > 0
            && line.substring(0, colon)
                .trim()
                .toLowerCase(Locale.ROOT)
                .equals(VsphereJsonServer.SESSION_HEADER)) {
          session2 = line.substring(colon + 1).trim();
        }
      }
      String raw = Files.readString(body, StandardCharsets.UTF_8);
      Files.delete(headers);
      Files.delete(body);
      return new Reply(Integer.parseInt(status.trim()), session2, parse(raw), raw);
    }
  }
}
