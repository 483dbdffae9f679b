/**
 * gnn4j-core: graph neural networks and graph transformers for the JVM. The exported packages
 * are the library's API: tensors and their {@link org.gnn4j.tensor.Context}, autograd, ops,
 * graphs, layers and models, positional encodings, optimizers, data readers, training, and
 * weight files. The kernels ({@code org.gnn4j.internal.kernel} and its {@code vector} package)
 * are not exported: they change with the hardware work, and ops are the way to reach them. The
 * one place outside core that reaches them is the command line's three kernel micro-benchmarks
 * ({@code bench --kernel}: SGEMM, SpMM, attention), which run on the class path, where module
 * exports do not apply.
 *
 * <p>The Vector API module is optional ({@code requires static}): start the JVM with {@code
 * --add-modules jdk.incubator.vector} for the vector kernels, and without it the scalar kernels
 * run. The optional OpenBLAS SGEMM calls native code through the foreign function API, so a
 * service that puts gnn4j on the module path and wants it adds {@code
 * --enable-native-access=org.gnn4j.core}.
 */
module org.gnn4j.core {
  requires static jdk.incubator.vector;
  requires transitive java.sql;
  requires java.management;
  requires org.snakeyaml.engine;

  exports org.gnn4j.autograd;
  exports org.gnn4j.config;
  exports org.gnn4j.data;
  exports org.gnn4j.data.relational;
  exports org.gnn4j.explain;
  exports org.gnn4j.graph;
  exports org.gnn4j.io;
  exports org.gnn4j.link;
  exports org.gnn4j.model;
  exports org.gnn4j.nn;
  exports org.gnn4j.nn.conv;
  exports org.gnn4j.nn.gn;
  exports org.gnn4j.nn.models;
  exports org.gnn4j.nn.pool;
  exports org.gnn4j.nn.transformer;
  exports org.gnn4j.ops;
  exports org.gnn4j.optim;
  exports org.gnn4j.oversmoothing;
  exports org.gnn4j.pe;
  exports org.gnn4j.tensor;
  exports org.gnn4j.train;
}
