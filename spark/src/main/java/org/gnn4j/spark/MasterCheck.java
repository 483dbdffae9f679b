package org.gnn4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;

/**
 * Checks that a standalone master ({@code spark://host:port}, or several for high availability)
 * accepts connections before a session is built: Spark itself retries an unreachable master for a
 * minute and then fails with a stack trace, where a user needs one line naming the URL.
 */
final class MasterCheck {
  private MasterCheck() {}

  /** How long one master may take to accept a connection. */
  static final int TIMEOUT_MS = 10_000;

  /**
   * Throws when {@code master} is no Spark master URL, or when no master of a {@code spark://} URL
   * accepts a connection; other URLs pass.
   */
  static void reachable(String master) {
    if (master == null) return;
    if (!master.matches("local(\\[[0-9*]+(,[0-9]+)?])?|local-cluster\\[.*]|spark://.+|yarn|k8s://.+|connect://.+")) {
      throw new IllegalArgumentException("--master " + master + ": not a Spark master URL (expected"
          + " local[N], spark://host:port, yarn or k8s://https://host:port)");
    }
    if (!master.startsWith("spark://")) return;
    String reason = null;
    for (String hostPort : master.substring("spark://".length()).split(",")) {
      URI u;
      try {
        u = new URI("spark://" + hostPort.trim());
      } catch (java.net.URISyntaxException e) {
        throw new IllegalArgumentException("--master " + master + ": not a valid URL (" + e.getReason() + ")");
      }
      if (u.getHost() == null) {
        throw new IllegalArgumentException("--master " + master + ": no host in '" + hostPort + "'");
      }
      int port = u.getPort() < 0 ? 7077 : u.getPort();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(u.getHost(), port), TIMEOUT_MS);
        return;
      } catch (IOException e) {
        reason = u.getHost() + ":" + port + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
      }
    }
    throw new IllegalArgumentException("cannot reach the Spark master " + master + " (" + reason
        + "; waited up to " + TIMEOUT_MS / 1000 + " s per master)");
  }

  /**
   * Throws when Spark gave up on a standalone master while building the context: something
   * answered on the port but no master registered the application (Spark tries for a minute, then
   * stops the context from another thread). A registered application has the master's id
   * ({@code app-...}); an unregistered one keeps Spark's local default ({@code spark-application-...}).
   */
  static void registered(String master, org.apache.spark.sql.SparkSession spark) {
    if (!master.startsWith("spark://")) return;
    if (spark.sparkContext().isStopped() || spark.sparkContext().applicationId().startsWith("spark-application-")) {
      spark.stop();
      throw new IllegalArgumentException("cannot reach the Spark master " + master + " (the port"
          + " accepts connections but no master registered the application)");
    }
  }
}
