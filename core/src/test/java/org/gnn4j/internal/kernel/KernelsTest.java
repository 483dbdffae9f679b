package org.gnn4j.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelsTest {
  @Test
  void bothKernelSetsAreAvailableInTests() {
    assertEquals("scalar", Kernels.scalar().name());
    Kernels v = Kernels.vector();   // surefire runs with --add-modules=jdk.incubator.vector
    assertTrue(v.name().startsWith("vector("), v.name());
    assertNotNull(v.dense());
    assertNotNull(v.graph());
    assertNotNull(v.attention());
  }

  @Test
  void detectionPicksVectorWhenTheModuleIsPresent() {
    assertTrue(Kernels.detect().name().startsWith("vector"),
        "detected " + Kernels.detect().name());
  }
}
