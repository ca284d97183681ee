package dev.lifecycle.worker.temporal;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The Temporal Java test server bound to a local port, in real time (no time skipping: skipping
 * would jump signal and approval waits straight to the run timeout). The Temporal CLI and UI can
 * connect to it like to {@code temporal server start-dev}, except that it keeps nothing on disk and
 * cannot list workflows by query or run schedules.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final int port;

  private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /**
   * Starts the server on {@code port}.
   *
   * @throws IllegalStateException naming the port when it is taken
   */
  public static EmbeddedTemporal start(int port) {
    if (!isFree(port)) {
      throw new IllegalStateException(
          "Port "
              + port
              + " is already in use: another Temporal server (or another './lifecycle dev') may be"
              + " running. Join it with './lifecycle worker', or stop it.");
    }
    return new EmbeddedTemporal(TestServer.createPortBoundServer(port), port);
  }

  /** Starts the server on {@code preferred}, or on a free port when that one is taken. */
  public static EmbeddedTemporal startPreferring(int preferred) {
    if (isFree(preferred)) {
      try {
        return start(preferred);
      } catch (RuntimeException e) {
        // Taken between the check and the bind: fall through to a free port.
      }
    }
    return start(freePort());
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** The {@code host:port} clients connect to. */
  public String address() {
    return "localhost:" + port;
  }

  @Override
  public void close() {
    server.close();
  }

  /** A port that was free a moment ago. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot find a free local port", e);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
