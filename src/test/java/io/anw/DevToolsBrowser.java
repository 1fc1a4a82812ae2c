package io.anw;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Headless Chromium driven over the DevTools protocol (the JDK's WebSocket client): one page,
 * every request URL it makes recorded, JavaScript evaluated, screenshots taken. For tests.
 */
public final class DevToolsBrowser implements AutoCloseable {
  private static final Pattern WS = Pattern.compile("DevTools listening on (ws://\\S+)");

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());
  private volatile CompletableFuture<Void> loaded = new CompletableFuture<>();
  private final String session;

  private DevToolsBrowser(Process process, String url) throws Exception {
    this.process = process;
    this.socket = HttpClient.newHttpClient().newWebSocketBuilder()
        .buildAsync(URI.create(url), new Listener()).get(30, TimeUnit.SECONDS);
    String target = call(null, "Target.createTarget", obj("url", "about:blank"))
        .get("targetId").getAsString();
    JsonObject attach = new JsonObject();
    attach.addProperty("targetId", target);
    attach.addProperty("flatten", true);
    session = call(null, "Target.attachToTarget", attach).get("sessionId").getAsString();
    call(session, "Network.enable", new JsonObject());
    call(session, "Page.enable", new JsonObject());
  }

  /** Starts Chromium at {@code chromium} with its profile in {@code profile}. */
  public static DevToolsBrowser start(Path chromium, Path profile) throws Exception {
    Process p = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox",
        "--disable-gpu", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--autoplay-policy=no-user-gesture-required", "--remote-debugging-port=0",
        "--user-data-dir=" + profile, "--window-size=1200,1600", "about:blank").start();
    BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(),
        StandardCharsets.UTF_8));
    CompletableFuture<String> url = CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = err.readLine()) != null; ) {
          Matcher m = WS.matcher(line);
          if (m.find()) {
            return m.group(1);
          }
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      throw new IllegalStateException("chromium printed no DevTools address");
    });
    try {
      String ws = url.get(60, TimeUnit.SECONDS);
      // keep draining stderr so the browser never blocks on a full pipe
      Thread drain = new Thread(() -> {
        try {
          while (err.readLine() != null) {
            // discard
          }
        } catch (IOException ignored) {
          // closed
        }
      });
      drain.setDaemon(true);
      drain.start();
      return new DevToolsBrowser(p, ws);
    } catch (Exception e) {
      p.destroyForcibly();
      throw e;
    }
  }

  private static JsonObject obj(String key, String value) {
    JsonObject o = new JsonObject();
    o.addProperty(key, value);
    return o;
  }

  private JsonObject call(String sessionId, String method, JsonObject params) throws Exception {
    int id = ids.incrementAndGet();
    JsonObject msg = new JsonObject();
    msg.addProperty("id", id);
    msg.addProperty("method", method);
    msg.add("params", params);
    if (sessionId != null) {
      msg.addProperty("sessionId", sessionId);
    }
    CompletableFuture<JsonObject> f = new CompletableFuture<>();
    pending.put(id, f);
    socket.sendText(msg.toString(), true).get(30, TimeUnit.SECONDS);
    JsonObject r = f.get(60, TimeUnit.SECONDS);
    if (r.has("error")) {
      throw new IllegalStateException(method + ": " + r.get("error"));
    }
    return r.getAsJsonObject("result");
  }

  /** Opens {@code url} and waits for its load event. */
  public void navigate(String url) throws Exception {
    loaded = new CompletableFuture<>();
    call(session, "Page.navigate", obj("url", url));
    loaded.get(60, TimeUnit.SECONDS);
  }

  /** Evaluates {@code js} in the page (awaiting a promise) and returns its JSON value. */
  public JsonElement eval(String js) throws Exception {
    JsonObject p = new JsonObject();
    p.addProperty("expression", js);
    p.addProperty("returnByValue", true);
    p.addProperty("awaitPromise", true);
    JsonObject r = call(session, "Runtime.evaluate", p);
    if (r.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + r.get("exceptionDetails"));
    }
    return r.getAsJsonObject("result").get("value");
  }

  /** A PNG screenshot of the viewport. */
  public byte[] screenshot() throws Exception {
    String data = call(session, "Page.captureScreenshot", obj("format", "png")).get("data")
        .getAsString();
    return java.util.Base64.getDecoder().decode(data);
  }

  /** Distinct colours of a PNG screenshot, sampled every third pixel: a blank page has few. */
  public static int colours(byte[] png) throws IOException {
    java.awt.image.BufferedImage shot = javax.imageio.ImageIO.read(
        new java.io.ByteArrayInputStream(png));
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < shot.getHeight(); y += 3) {
      for (int x = 0; x < shot.getWidth(); x += 3) {
        colours.add(shot.getRGB(x, y));
      }
    }
    return colours.size();
  }

  /** Every URL the page requested so far. */
  public List<String> requests() {
    synchronized (requests) {
      return List.copyOf(requests);
    }
  }

  /** Ends the browser and every process it started, and waits until they are gone. */
  @Override
  public void close() {
    socket.abort();
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle h : all) {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        h.destroyForcibly();
      }
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        handle(JsonParser.parseString(partial.toString()).getAsJsonObject());
        partial.setLength(0);
      }
      ws.request(1);
      return null;
    }

    private void handle(JsonObject msg) {
      if (msg.has("id")) {
        CompletableFuture<JsonObject> f = pending.remove(msg.get("id").getAsInt());
        if (f != null) {
          f.complete(msg);
        }
        return;
      }
      String method = msg.has("method") ? msg.get("method").getAsString() : "";
      if (method.equals("Network.requestWillBeSent")) {
        requests.add(msg.getAsJsonObject("params").getAsJsonObject("request").get("url")
            .getAsString());
      } else if (method.equals("Page.loadEventFired")) {
        loaded.complete(null);
      }
    }
  }
}
