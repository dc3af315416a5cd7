package io.cbtengine.simulator.vsphere;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.cbtengine.api.CbtFault;
import io.cbtengine.api.ChangeTracker;
import io.cbtengine.api.DiskOptions;
import io.cbtengine.engine.CbtEngine;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A simulated vSphere host speaking the VI/JSON API: sessions, the VSLM calls of an incremental
 * backup ({@code VslmQueryChangedDiskAreas} and the snapshot calls) answered by a {@link
 * ChangeTracker}, and simulator-only calls under {@code /cbt-sim/disks} that create disks and drive
 * writes into them. {@code docs/json-api.md} lists every call with a real exchange.
 *
 * <p>Thread-safe: requests run on a bounded pool ({@link Config.Builder#threads}) and the engine is
 * thread-safe, so a trace may be replayed into {@link #tracker()} while clients query.
 *
 * <p>Safe by default: binds to 127.0.0.1; a request body over {@link Config.Builder#maxBodyBytes}
 * is refused with a fault; every failure is a vSphere fault body, never a stack trace; nothing is
 * logged per request, and credentials never.
 */
public final class VsphereJsonServer implements AutoCloseable {
  /*
   * Implementation notes.
   *
   * One HttpHandler on "/" routes by path: /sdk/vim25/{release}/[vslm/]{MoType}/{moId}/{method}
   * for the VI/JSON calls, /cbt-sim/disks/... for the simulator's own. Every call runs in the
   * same paragraphs: route (404 if the path names nothing), authenticate (the session header,
   * except for Login), find the method (MethodNotFound), parse the body against the method's
   * parameter list (InvalidRequest), call, render. Any VimFault or engine CbtFault on the way
   * becomes the fault body; any other exception is a bug and becomes SystemError.
   *
   * The pool is a ThreadPoolExecutor with a bounded queue; when both are full, the HTTP
   * server's dispatcher thread runs the exchange itself (caller-runs), which stops it accepting
   * connections: back pressure instead of an unbounded queue or dropped exchanges.
   *
   * Oversized bodies are read and discarded up to DRAIN_LIMIT before the fault is sent, so that
   * the client has finished sending and reads the fault instead of a reset connection.
   */

  /** The request and response header carrying the session token. */
  public static final String SESSION_HEADER = "vmware-api-session-id";

  private static final System.Logger LOG = System.getLogger(VsphereJsonServer.class.getName());
  private static final Pattern RELEASE = Pattern.compile("8(\\.[0-9]{1,4}){1,3}");
  private static final String VIM_PREFIX = "/sdk/vim25/";
  private static final long DRAIN_LIMIT = 16L << 20;
  private static final String SESSION_MANAGER = "SessionManager";
  private static final Set<String> LOGIN_PARAMS =
      VimRequestBody.params("userName", "password", "locale");

  private final int maxBodyBytes;
  private final HttpServer http;
  private final ThreadPoolExecutor pool;
  private final ChangeTracker tracker;
  private final boolean ownsTracker;
  private final ObjectMapper mapper;
  private final SessionTable sessions;
  private final VslmTaskTable tasks;
  private final VslmStorageObjectEndpoint vslm;
  private final SimDiskEndpoint simDisks;

  private VsphereJsonServer(Config config, HttpServer http, ThreadPoolExecutor pool) {
    // The config is not kept: it holds the password, and the server needs only its digest.
    this.maxBodyBytes = config.maxBodyBytes;
    this.http = http;
    this.pool = pool;
    this.ownsTracker = config.tracker == null;
    this.tracker = ownsTracker ? CbtEngine.inMemory() : config.tracker;
    this.mapper =
        new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    this.sessions = new SessionTable(config.userName, config.password, config.maxSessions);
    this.tasks = new VslmTaskTable(config.maxTasks);
    this.vslm = new VslmStorageObjectEndpoint(tracker, tasks);
    this.simDisks = new SimDiskEndpoint(tracker, config.diskDefaults, vslm);
  }

  /**
   * Binds and starts a server. With no {@link Config.Builder#tracker} it creates an in-memory
   * engine and closes it on {@link #close()}.
   *
   * @throws IOException if the address cannot be bound
   */
  public static VsphereJsonServer start(Config config) throws IOException {
    Objects.requireNonNull(config, "config");
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getByName(config.bindAddress), config.port);

    AtomicInteger threadNumber = new AtomicInteger();
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            config.threads,
            config.threads,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(config.queueCapacity),
            r -> {
              Thread t = new Thread(r, "cbt-sim-http-" + threadNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());

    disableNagleUnlessConfigured();
    HttpServer http = HttpServer.create(address, 128);
    VsphereJsonServer server = new VsphereJsonServer(config, http, pool);
    http.setExecutor(pool);
    http.createContext("/", server::handle);
    http.start();
    return server;
  }

  /** The JDK's system property that turns on TCP_NODELAY for its HTTP server's connections. */
  static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";

  /**
   * The JDK's HTTP server leaves Nagle's algorithm on unless {@value #NODELAY_PROPERTY} is true:
   * every reply on a reused (keep-alive) connection then waited for the client's delayed ACK, about
   * 40 ms (20 requests on one curl connection: 0.84 s, against 0.03 s with the property). Sets the
   * property unless the user gave it; the JDK reads it once, when its first HTTP server starts.
   */
  static void disableNagleUnlessConfigured() {
    if (System.getProperty(NODELAY_PROPERTY) == null) {
      System.setProperty(NODELAY_PROPERTY, "true");
    }
  }

  /** The port the server listens on (the chosen one when configured with port 0). */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The bound socket address. */
  public InetSocketAddress address() {
    return http.getAddress();
  }

  /** {@code http://<address>:<port>/sdk}, the URL a vSphere client is given. */
  public URI sdkUri() {
    InetAddress a = http.getAddress().getAddress();
    String host = a.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + port() + "/sdk");
  }

  /**
   * The engine behind the endpoint: the hook through which a caller (e.g. a trace replay) writes
   * into the disks while clients query. Thread-safe.
   */
  public ChangeTracker tracker() {
    return tracker;
  }

  /** Stops accepting requests, ends the pool, and closes the engine if the server created it. */
  @Override
  public void close() {
    http.stop(0);
    pool.shutdown();
    try {
      pool.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownsTracker) {
      tracker.close();
    }
  }

  // ---- one exchange

  /** A reply: the status, the JSON body (null for 204), and the session token to hand out. */
  private record Reply(int status, JsonNode body, String sessionToken) {
    static Reply of(JsonNode body) {
      return body == null ? new Reply(204, null, null) : new Reply(200, body, null);
    }
  }

  private void handle(HttpExchange ex) {
    try (ex) {
      Reply reply;
      try {
        reply = route(ex);
      } catch (VimFault f) {
        reply = fault(f);
      } catch (CbtFault f) {
        reply = fault(VimFault.of(f));
      } catch (RuntimeException e) {
        LOG.log(
            System.Logger.Level.WARNING,
            "request failed: " + ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath(),
            e);
        reply = fault(VimFault.systemError("internal error of the simulator; see its log"));
      }
      send(ex, reply);
    } catch (IOException e) {
      // The client went away; nothing is left to tell it.
    }
  }

  private static Reply fault(VimFault f) {
    return new Reply(f.httpStatus(), f.toJson(), null);
  }

  private void send(HttpExchange ex, Reply reply) throws IOException {
    if (reply.sessionToken() != null) {
      ex.getResponseHeaders().set(SESSION_HEADER, reply.sessionToken());
    }
    if (reply.body() == null) {
      ex.sendResponseHeaders(reply.status(), -1);
      return;
    }
    byte[] bytes = mapper.writeValueAsBytes(reply.body());
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(reply.status(), bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Reply route(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getPath();
    if (path.startsWith(VIM_PREFIX)) {
      return vim(ex, segments(path.substring(VIM_PREFIX.length())));
    }
    if (path.equals(SimDiskEndpoint.PREFIX) || path.startsWith(SimDiskEndpoint.PREFIX + "/")) {
      return sim(ex, segments(path.substring(SimDiskEndpoint.PREFIX.length())));
    }
    throw VimFault.notFoundPath(
        "no such path: path="
            + clip(path)
            + "; calls live under "
            + VIM_PREFIX
            + "{release}/ and "
            + SimDiskEndpoint.PREFIX);
  }

  // ---- /sdk/vim25/{release}/[vslm/]{MoType}/{moId}/{method}

  private Reply vim(HttpExchange ex, List<String> seg) throws IOException {
    // Route: release, optional vslm service, then MoType/moId/method.
    if (seg.isEmpty() || !RELEASE.matcher(seg.get(0)).matches()) {
      throw VimFault.notFoundPath(
          "unsupported release: release="
              + (seg.isEmpty() ? "" : clip(seg.get(0)))
              + "; this host serves 8.x releases, e.g. 8.0.3.0");
    }
    List<String> rest = seg.subList(1, seg.size());
    boolean vslmService = !rest.isEmpty() && rest.get(0).equals("vslm");
    if (vslmService) {
      rest = rest.subList(1, rest.size());
    }
    if (rest.size() != 3) {
      throw VimFault.notFoundPath(
          "expected "
              + VIM_PREFIX
              + "{release}/[vslm/]{MoType}/{moId}/{method}: path="
              + clip(ex.getRequestURI().getPath()));
    }
    String moType = rest.get(0);
    String moId = rest.get(1);
    String method = rest.get(2);

    // Login is the one call without a session.
    if (!vslmService && moType.equals(SESSION_MANAGER) && method.equals("Login")) {
      requireVerb(ex, "POST");
      requireMoId(moType, moId, SESSION_MANAGER);
      return login(ex);
    }
    String token = ex.getRequestHeaders().getFirst(SESSION_HEADER);
    sessions.require(token, moType, moId);

    if (!vslmService && moType.equals(SESSION_MANAGER)) {
      requireMoId(moType, moId, SESSION_MANAGER);
      if (!method.equals("Logout")) {
        throw VimFault.methodNotFound(moType, moId, method);
      }
      requireVerb(ex, "POST");
      body(ex, method, VimRequestBody.params());
      sessions.logout(token);
      return Reply.of(null);
    }
    if (vslmService && moType.equals(VslmStorageObjectEndpoint.MO_TYPE)) {
      requireMoId(moType, moId, VslmStorageObjectEndpoint.MO_ID);
      Set<String> params = VslmStorageObjectEndpoint.METHODS.get(method);
      if (params == null) {
        throw VimFault.methodNotFound(moType, moId, method);
      }
      requireVerb(ex, "POST");
      return Reply.of(vslm.call(method, body(ex, method, params)));
    }
    if (vslmService && moType.equals(VslmTaskTable.MO_TYPE)) {
      return task(ex, moId, method);
    }
    throw VimFault.methodNotFound(moType, moId, method);
  }

  private Reply login(HttpExchange ex) throws IOException {
    VimRequestBody p = body(ex, "Login", LOGIN_PARAMS);
    SessionTable.Session s =
        sessions.login(p.requiredString("userName"), p.requiredString("password"));

    ObjectNode user = mapper.createObjectNode();
    user.put("_typeName", "UserSession");
    user.put("key", s.key());
    user.put("userName", s.userName());
    user.put("fullName", s.userName());
    user.put("loginTime", VimJson.dateTime(s.loginTime()));
    user.put("lastActiveTime", VimJson.dateTime(s.loginTime()));
    user.put("locale", p.optionalString("locale", "en"));
    user.put("messageLocale", p.optionalString("locale", "en"));
    user.put("extensionSession", false);
    user.put("ipAddress", ex.getRemoteAddress().getAddress().getHostAddress());
    String agent = ex.getRequestHeaders().getFirst("User-Agent");
    user.put("userAgent", agent == null ? "" : agent);
    user.put("callCount", 0);
    return new Reply(200, user, s.token());
  }

  /** {@code VslmTask}: {@code VslmQueryInfo}, {@code VslmQueryTaskResult}, {@code GET info}. */
  private Reply task(HttpExchange ex, String moId, String method) throws IOException {
    if (!method.equals("VslmQueryInfo")
        && !method.equals("VslmQueryTaskResult")
        && !method.equals("info")) {
      throw VimFault.methodNotFound(VslmTaskTable.MO_TYPE, moId, method);
    }
    VslmTaskTable.Task t = tasks.get(moId);
    if (method.equals("info")) {
      requireVerb(ex, "GET");
      return Reply.of(VslmTaskTable.info(t));
    }
    requireVerb(ex, "POST");
    body(ex, method, VimRequestBody.params());
    if (method.equals("VslmQueryInfo")) {
      return Reply.of(VslmTaskTable.info(t));
    }
    if (t.error() != null) {
      throw t.error();
    }
    return Reply.of(t.result() == null || t.result().isNull() ? null : t.result());
  }

  // ---- /cbt-sim/disks[/{id}[/{action}]]

  private Reply sim(HttpExchange ex, List<String> seg) throws IOException {
    String token = ex.getRequestHeaders().getFirst(SESSION_HEADER);
    sessions.require(token, "CbtSimDiskManager", "cbt-sim");
    switch (seg.size()) {
      case 0:
        requireVerb(ex, "GET");
        return Reply.of(simDisks.list());
      case 1:
        requireVerb(ex, "GET");
        return Reply.of(simDisks.get(seg.get(0)));
      case 2:
        Set<String> params = SimDiskEndpoint.ACTIONS.get(seg.get(1));
        if (params == null) {
          throw VimFault.notFoundPath(
              "unknown simulator action: action="
                  + clip(seg.get(1))
                  + ", expected one of "
                  + SimDiskEndpoint.ACTIONS.keySet());
        }
        requireVerb(ex, "POST");
        return Reply.of(simDisks.call(seg.get(0), seg.get(1), body(ex, seg.get(1), params)));
      default:
        throw VimFault.notFoundPath(
            "expected "
                + SimDiskEndpoint.PREFIX
                + "[/{id}[/{action}]]: path="
                + clip(ex.getRequestURI().getPath()));
    }
  }

  // ---- request parts

  private VimRequestBody body(HttpExchange ex, String method, Set<String> params)
      throws IOException {
    return VimRequestBody.parse(mapper, method, readBody(ex), params);
  }

  /** The request body, at most {@code maxBodyBytes}; a longer one is drained and refused. */
  private byte[] readBody(HttpExchange ex) throws IOException {
    int max = maxBodyBytes;
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(max, 8192));
    byte[] buf = new byte[8192];
    long total = 0;
    try (InputStream in = ex.getRequestBody()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        total += n;
        if (total <= max) {
          out.write(buf, 0, n);
        } else if (total > DRAIN_LIMIT) {
          break;
        }
      }
    }
    if (total > max) {
      throw VimFault.invalidRequest(
          "request body too large: maxBodyBytes=" + max + ", received at least " + total);
    }
    return out.toByteArray();
  }

  private static void requireVerb(HttpExchange ex, String verb) {
    if (!ex.getRequestMethod().equals(verb)) {
      ex.getResponseHeaders().set("Allow", verb);
      throw VimFault.methodNotAllowed(
          "HTTP method not allowed here: method="
              + clip(ex.getRequestMethod())
              + ", allowed="
              + verb
              + ", path="
              + clip(ex.getRequestURI().getPath()));
    }
  }

  private static void requireMoId(String moType, String moId, String expected) {
    if (!moId.equals(expected)) {
      throw VimFault.managedObjectNotFound(moType, moId);
    }
  }

  private static List<String> segments(String rest) {
    if (rest.isEmpty() || rest.equals("/")) {
      return List.of();
    }
    String trimmed = rest.startsWith("/") ? rest.substring(1) : rest;
    return Arrays.asList(trimmed.split("/", -1));
  }

  private static String clip(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  /**
   * How a server is set up. Immutable; {@link #toString()} leaves the password out. Build with
   * {@link #builder()}: user name and password are required, everything else has a default.
   */
  public static final class Config {
    private final String bindAddress;
    private final int port;
    private final String userName;
    private final char[] password;
    private final int threads;
    private final int queueCapacity;
    private final int maxBodyBytes;
    private final int maxSessions;
    private final int maxTasks;
    private final DiskOptions diskDefaults;
    private final ChangeTracker tracker;

    private Config(Builder b) {
      this.bindAddress = b.bindAddress;
      this.port = b.port;
      this.userName = Objects.requireNonNull(b.userName, "userName");
      this.password = Objects.requireNonNull(b.password, "password").clone();
      this.threads = b.threads;
      this.queueCapacity = b.queueCapacity;
      this.maxBodyBytes = b.maxBodyBytes;
      this.maxSessions = b.maxSessions;
      this.maxTasks = b.maxTasks;
      this.diskDefaults = b.diskDefaults;
      this.tracker = b.tracker;
    }

    public static Builder builder() {
      return new Builder();
    }

    public String bindAddress() {
      return bindAddress;
    }

    public int port() {
      return port;
    }

    public String userName() {
      return userName;
    }

    @Override
    public String toString() {
      return "Config[bindAddress="
          + bindAddress
          + ", port="
          + port
          + ", userName="
          + userName
          + ", password=(hidden), threads="
          + threads
          + ", queueCapacity="
          + queueCapacity
          + ", maxBodyBytes="
          + maxBodyBytes
          + ", maxSessions="
          + maxSessions
          + ", maxTasks="
          + maxTasks
          + ", diskDefaults="
          + diskDefaults
          + "]";
    }

    /** Builds a {@link Config}; each setter checks its value. Not thread-safe. */
    public static final class Builder {
      private String bindAddress = "127.0.0.1";
      private int port = 0;
      private String userName;
      private char[] password;
      private int threads = 8;
      private int queueCapacity = 1024;
      private int maxBodyBytes = 1 << 20;
      private int maxSessions = 1000;
      private int maxTasks = 10_000;
      private DiskOptions diskDefaults = DiskOptions.defaults();
      private ChangeTracker tracker;

      private Builder() {}

      /** The address to bind, an IP literal; default {@code 127.0.0.1}. */
      public Builder bindAddress(String bindAddress) {
        Objects.requireNonNull(bindAddress, "bindAddress");
        // A literal only: a host name would mean a name lookup and an address nobody chose.
        if (!bindAddress.matches("[0-9.]+") && !bindAddress.contains(":")) {
          throw new IllegalArgumentException(
              "bindAddress must be an IP literal: bindAddress=" + bindAddress);
        }
        this.bindAddress = bindAddress;
        return this;
      }

      /** The port; 0 (the default) picks a free one. */
      public Builder port(int port) {
        if (port < 0 || port > 65535) {
          throw new IllegalArgumentException("port out of range 0..65535: port=" + port);
        }
        this.port = port;
        return this;
      }

      /** The one user name {@code Login} accepts. */
      public Builder userName(String userName) {
        if (userName == null || userName.isEmpty()) {
          throw new IllegalArgumentException("userName is empty");
        }
        this.userName = userName;
        return this;
      }

      /** The password {@code Login} accepts; copied, and only a digest of it is kept. */
      public Builder password(char[] password) {
        if (password == null || password.length == 0) {
          throw new IllegalArgumentException("password is empty");
        }
        this.password = password.clone();
        return this;
      }

      /** Request threads; default 8. */
      public Builder threads(int threads) {
        this.threads = positive("threads", threads);
        return this;
      }

      /** Requests waiting for a thread before the acceptor slows down; default 1024. */
      public Builder queueCapacity(int queueCapacity) {
        this.queueCapacity = positive("queueCapacity", queueCapacity);
        return this;
      }

      /** The largest request body accepted; default 1 MiB. */
      public Builder maxBodyBytes(int maxBodyBytes) {
        this.maxBodyBytes = positive("maxBodyBytes", maxBodyBytes);
        return this;
      }

      /** Live sessions kept; a login beyond ends the oldest. Default 1000. */
      public Builder maxSessions(int maxSessions) {
        this.maxSessions = positive("maxSessions", maxSessions);
        return this;
      }

      /** Finished tasks kept for {@code VslmQueryInfo}; default 10,000. */
      public Builder maxTasks(int maxTasks) {
        this.maxTasks = positive("maxTasks", maxTasks);
        return this;
      }

      /** Options of disks created through {@code /cbt-sim/disks/{id}/create} unless overridden. */
      public Builder diskDefaults(DiskOptions diskDefaults) {
        this.diskDefaults = Objects.requireNonNull(diskDefaults, "diskDefaults");
        return this;
      }

      /** The engine to serve; default a new in-memory engine owned (and closed) by the server. */
      public Builder tracker(ChangeTracker tracker) {
        this.tracker = tracker;
        return this;
      }

      public Config build() {
        return new Config(this);
      }

      private static int positive(String name, int value) {
        if (value < 1) {
          throw new IllegalArgumentException(name + " must be positive: " + name + "=" + value);
        }
        return value;
      }
    }
  }
}
