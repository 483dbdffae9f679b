package org.gnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class MasterCheckTest {
  @Test
  void refusedMasterIsOneLineNamingTheUrl() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there now
    }
    String url = "spark://127.0.0.1:" + port;
    String m = assertThrows(IllegalArgumentException.class, () -> MasterCheck.reachable(url)).getMessage();
    assertTrue(m.startsWith("cannot reach the Spark master " + url + " (127.0.0.1:" + port + ": "), m);
    assertTrue(!m.contains("\n"), m);
  }

  @Test
  void listeningMasterAndOtherKindsPass() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      MasterCheck.reachable("spark://127.0.0.1:" + s.getLocalPort());
    }
    MasterCheck.reachable("local[2]");
    MasterCheck.reachable("local[*]");
    MasterCheck.reachable("yarn");
  }

  @Test
  void notAMasterUrlIsNamed() {
    assertEquals("--master bogus://x: not a Spark master URL (expected local[N], spark://host:port,"
        + " yarn or k8s://https://host:port)",
        assertThrows(IllegalArgumentException.class, () -> MasterCheck.reachable("bogus://x")).getMessage());
  }
}
