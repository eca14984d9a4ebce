package dev.sentinel.app.config;

import dev.sentinel.access.KeySecrets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;

/**
 * Settings that are checked before anything starts (the bundled database takes seconds): each
 * failure is one line that names the setting, and {@code sentinel run} exits with 2 as for any
 * other configuration error. The records check their own ranges when the configuration is bound
 * (body limits among them); what is checked here depends on the environment and the machine.
 */
public final class StartChecks {

  private StartChecks() {}

  /**
   * @throws ConfigException naming the first setting that cannot work
   */
  public static void check(SentinelConfig config, Map<String, String> environment) {
    adminKey(environment.get("SENTINEL_ADMIN_KEY"));
    connectionPool(config);
    bindAddress(config.server());
  }

  /**
   * The state store's pool must hold a connection for everyone who may need one at once: each
   * workflow worker, the incident desk, the sweeper, the notification delivery worker and at least
   * one for the HTTP edge (key checks, queries, ingest's callers). A smaller pool does not fail at
   * once: it stalls the desk behind the workers.
   */
  public static void connectionPool(SentinelConfig config) {
    int workers = config.remediation().enabled() ? config.remediation().workflow().workers() : 0;
    int needed = workers + 4;
    int poolSize = config.state().poolSize();
    if (poolSize < needed) {
      throw new ConfigException(
          "state.poolSize "
              + poolSize
              + " is too small: remediation.workflow.workers ("
              + workers
              + ") + the incident desk, the sweeper, notification delivery and the HTTP edge (1"
              + " each) need "
              + needed
              + " connections; raise state.poolSize to "
              + needed
              + " or lower remediation.workflow.workers");
    }
  }

  static void adminKey(String supplied) {
    if (supplied == null || supplied.isBlank()) {
      return;
    }
    try {
      KeySecrets.checkSupplied(supplied.strip());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("SENTINEL_ADMIN_KEY: " + e.getMessage());
    }
  }

  static void bindAddress(ServerConfig server) {
    InetAddress address;
    try {
      address = InetAddress.getByName(server.host());
    } catch (UnknownHostException e) {
      throw new ConfigException(
          "server.host '" + server.host() + "' is not an address or a name that resolves");
    }
    if (!address.isAnyLocalAddress() && !address.isLoopbackAddress() && !isLocal(address)) {
      throw new ConfigException(
          "server.host '"
              + server.host()
              + "' is no address of this machine; use 127.0.0.1 (this machine only), 0.0.0.0"
              + " (every interface) or one of its own addresses");
    }
    if (server.port() == 0) {
      return;
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress(address, server.port()));
    } catch (IOException e) {
      throw new ConfigException(
          "server.port "
              + server.port()
              + " on "
              + server.host()
              + " cannot be bound ("
              + e.getMessage()
              + "); is another Sentinel running?");
    }
  }

  private static boolean isLocal(InetAddress address) {
    try {
      return NetworkInterface.getByInetAddress(address) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
