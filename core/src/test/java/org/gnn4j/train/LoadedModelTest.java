package org.gnn4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.NodeDataset;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.graph.Graph;
import org.gnn4j.io.Safetensors;
import org.gnn4j.io.SafetensorsWriter;
import org.gnn4j.io.UnsupportedModelVersionException;
import org.gnn4j.model.FeatureWidthMismatchException;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.ContextClosedException;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LoadedModel}: it predicts what the trained model predicts, and the three ways a service
 * misuses a model (a newer file, inputs of the wrong width, a call after close) each end in one
 * typed exception with a one-line message.
 */
class LoadedModelTest {
  @TempDir Path dir;
  private Path file;

  private static final String CONFIG = """
      dataset: {name: karate}
      model: {layer: gcn, layers: 2, hidden: 8, head: {type: conv}}
      train: {epochs: 2, seed: 3}
      """;

  @BeforeEach
  void saveAModel() {
    ConfigNode cfg = ConfigNode.parse(CONFIG, "t.yaml");
    file = dir.resolve("model.ckpt");
    try (Context ctx = Context.builder().threads(1).seed(3).build()) {
      var run = Experiment.of(cfg).run(ctx, null, 3);
      TrainCheckpoints.saveModel(file, run.model(), cfg, Map.of());
    }
  }

  private static ModelInput karate(Context ctx) {
    NodeDataset club = NodeDatasetReader.karate();
    return ModelInput.of(ctx.tensor(club.x(), club.numNodes(), club.numFeatures()), Graph.of(club.edges()));
  }

  @Test
  void predictsWhatTheLoadedGraphModelPredicts() {
    float[] expected;
    try (Context ctx = Context.builder().threads(2).seed(3).build()) {
      GraphModel m = TrainCheckpoints.loadGraphModel(file, ctx);
      try (var s = ctx.noGrad()) {
        expected = m.forward(karate(ctx)).data().clone();
      }
    }
    try (LoadedModel m = LoadedModel.open(file, 2); Context request = m.requestContext(2)) {
      Tensor out = m.predict(karate(request));
      assertArrayEquals(expected, out.data());
      assertTrue(out.node() == null, "no autograd node is recorded while serving");
      assertArrayEquals(expected, m.predict(karate(m.context())).data());
    }
  }

  @Test
  void aCallAfterCloseIsAModelClosedExceptionNamingTheFile() {
    LoadedModel m = LoadedModel.open(file, 2);
    Context request = m.requestContext(1);
    ModelInput in = karate(request);
    m.close();
    var e = assertThrows(ModelClosedException.class, () -> m.predict(in));
    assertTrue(e.getMessage().startsWith(file + ": the model was closed"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
    assertThrows(ModelClosedException.class, m::model);
    assertThrows(ModelClosedException.class, () -> m.requestContext(1));
    m.close();      // twice is harmless
    request.close();
  }

  @Test
  void aRequestAlreadyHoldingTheModelFailsTypedOnceItIsClosed() {
    GraphModel model;
    ModelInput in;
    Context request;
    try (LoadedModel m = LoadedModel.open(file, 2)) {
      model = m.model();
      request = m.requestContext(1);
      in = karate(request);
    }
    // the first op on a weight runs on the (closed) model context
    var e = assertThrows(ContextClosedException.class, () -> model.forward(in));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
    request.close();
  }

  @Test
  void inputsOfTheWrongWidthNameBothWidths() {
    try (LoadedModel m = LoadedModel.open(file, 1)) {
      Context ctx = m.context();
      int n = 5;
      ModelInput in = ModelInput.of(ctx.zeros(n, 12), Graph.of(new int[] {0, 1}, new int[] {1, 0}, n));
      var e = assertThrows(FeatureWidthMismatchException.class, () -> m.predict(in));
      assertEquals(34, e.expected());
      assertEquals(12, e.actual());
      assertEquals("model: node features have 12 columns, the model was built for 34", e.getMessage());
    }
  }

  @Test
  void inputsFromAnUnrelatedContextAreRefused() {
    try (LoadedModel m = LoadedModel.open(file, 1); Context other = Context.builder().threads(1).build()) {
      var e = assertThrows(IllegalArgumentException.class, () -> m.predict(karate(other)));
      assertTrue(e.getMessage().contains("unrelated"), e.getMessage());
    }
  }

  @Test
  void aFileFromANewerGnn4jIsRefusedWithItsVersion() throws IOException {
    Path newer = dir.resolve("newer.ckpt");
    writeWithVersion(file, newer, "2");
    var e = assertThrows(UnsupportedModelVersionException.class, () -> LoadedModel.open(newer, 1));
    assertEquals(2, e.found());
    assertEquals(Checkpoint.FORMAT_VERSION, e.supported());
    assertEquals(newer + ": written by a newer gnn4j (format version 2, this gnn4j reads versions up"
        + " to 1); upgrade gnn4j to load it", e.getMessage());
    assertThrows(UnsupportedModelVersionException.class, () -> Checkpoint.read(newer));
    Path garbled = dir.resolve("garbled.ckpt");
    writeWithVersion(file, garbled, "two");
    var g = assertThrows(org.gnn4j.io.Gnn4jConfigException.class, () -> Checkpoint.read(garbled));
    assertTrue(g.getMessage().contains("format_version is 'two'"), g.getMessage());
  }

  @Test
  void dataOfAnotherWidthIsRefusedBeforeTheWeightsAreCompared() {
    try (Context ctx = Context.builder().threads(1).build()) {
      // the same architecture built for 12 input features instead of karate's 34
      var spec = ((GraphModel) Experiment.of(ConfigNode.parse(CONFIG, "t.yaml")).run(ctx, null, 3).model()).spec();
      GraphModel narrow = new GraphModel(ctx, spec, new GraphModel.DataShape(12, 0, 0, 0, 4, false), ctx.newRandom());
      var e = assertThrows(FeatureWidthMismatchException.class, () -> TrainCheckpoints.loadWeights(file, narrow));
      assertEquals(file + ": the data's node features have 12 columns, the model was built for 34", e.getMessage());
    }
  }

  /** A copy of {@code from} whose format_version says {@code version} (a newer writer's file). */
  static void writeWithVersion(Path from, Path to, String version) throws IOException {
    Safetensors st = Safetensors.read(from);
    Map<String, String> meta = new LinkedHashMap<>(st.metadata());
    meta.put("format_version", version);
    try (OutputStream out = Files.newOutputStream(to)) {
      SafetensorsWriter.write(out, st.tensors().values(), meta);
    }
  }
}
