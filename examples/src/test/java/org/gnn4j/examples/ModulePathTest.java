package org.gnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * gnn4j-core as a service on the module path sees it: loaded as the named module
 * {@code org.gnn4j.core} (with its one library dependency) into a module layer of its own, it
 * exports the public API, keeps the kernels to itself, and runs.
 */
class ModulePathTest {
  @Test
  void coreIsANamedModuleThatKeepsItsKernelsToItself() throws Exception {
    ModuleFinder finder = ModuleFinder.of(locationOf(org.gnn4j.tensor.Context.class),
        locationOf(org.snakeyaml.engine.v2.api.LoadSettings.class));
    ModuleLayer boot = ModuleLayer.boot();
    Configuration cf = boot.configuration().resolve(finder, ModuleFinder.of(), Set.of("org.gnn4j.core"));
    ModuleLayer layer = boot.defineModulesWithOneLoader(cf, ClassLoader.getPlatformClassLoader());
    Module core = layer.findModule("org.gnn4j.core").orElseThrow();
    assertTrue(core.isNamed());
    for (String api : new String[] {"org.gnn4j.tensor", "org.gnn4j.model", "org.gnn4j.train", "org.gnn4j.nn"}) {
      assertTrue(core.isExported(api), api + " is part of the API");
    }
    assertTrue(core.getPackages().contains("org.gnn4j.internal.kernel"), "the kernels are in the module");
    assertFalse(core.isExported("org.gnn4j.internal.kernel"), "but not exported");
    assertFalse(core.isExported("org.gnn4j.internal.kernel.vector"));

    // the module runs: a context, a small op, on whichever kernels the module picks
    Class<?> contextClass = layer.findLoader("org.gnn4j.core").loadClass("org.gnn4j.tensor.Context");
    assertEquals(core, contextClass.getModule());
    try (AutoCloseable ctx = (AutoCloseable) contextClass.getMethod("create").invoke(null)) {
      Object ones = contextClass.getMethod("ones", int[].class).invoke(ctx, (Object) new int[] {3});
      Object twos = ones.getClass().getMethod("add", ones.getClass()).invoke(ones, ones);
      float[] data = (float[]) twos.getClass().getMethod("data").invoke(twos);
      assertEquals(2f, data[0]);
    }
    // from outside the module, a kernel class cannot be opened up
    Class<?> kernels = layer.findLoader("org.gnn4j.core").loadClass("org.gnn4j.internal.kernel.Kernels");
    assertThrows(IllegalAccessException.class, () -> kernels.getMethod("scalar").invoke(null));
  }

  private static Path locationOf(Class<?> c) throws URISyntaxException {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
  }
}
