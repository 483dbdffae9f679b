package org.gnn4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.io.Gnn4jConfigException;
import org.gnn4j.nn.GraphLayer;
import org.gnn4j.nn.gn.GnLayer;
import org.gnn4j.nn.transformer.GpsLayer;
import org.gnn4j.nn.transformer.GraphormerLayer;
import org.gnn4j.nn.transformer.PerformerAttention;
import org.gnn4j.nn.transformer.TransformerEncoderLayer;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The model keys only some layers take: each parses, builds its layers, and bad pairs are errors. */
class ModelOptionsTest {
  /** A graph-level shape with atom and bond types (ZINC-like). */
  private static final GraphModel.DataShape GRAPHS = new GraphModel.DataShape(0, 5, 0, 3, 1, true);

  private static ModelSpec spec(String yaml) {
    return ModelSpec.from(ConfigNode.parse(yaml, "m.yaml"));
  }

  private static Map<String, Tensor> params(String yaml) {
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      return new GraphModel(ctx, spec(yaml), GRAPHS, new SplittableRandom(0)).namedParameters();
    }
  }

  private static GraphLayer layer(String yaml) {
    ModelSpec s = spec(yaml);
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      return ModelLayers.create(ctx, s, s.hidden(), s.hidden(), false, s.hidden(), new SplittableRandom(0));
    }
  }

  private static final String BASE = """
      layers: 2
      hidden: 16
      heads: 2
      encoder: {node: embedding, edge: embedding}
      """;

  @Test
  void defaultsAreTheBehaviourBeforeTheKeys() {
    assertEquals(ModelOptions.defaults(), spec("layer: gps_gin\n" + BASE + "pooling: sum\n").options());
    assertEquals("lap", spec("layer: gcn\nencoder: {node: linear, pe: lap}\n").peInput());
  }

  @Test
  void rgcnStacksOverRelationsWithBasesOrBlocks() {
    GraphModel.DataShape typed = new GraphModel.DataShape(6, 0, 0, 3, 4, false);
    try (Context ctx = Context.builder().threads(1).seed(0).build()) {
      Map<String, Tensor> p = new GraphModel(ctx, spec("layer: rgcn\nlayers: 2\nhidden: 8\nnum_bases: 2\n"), typed,
          new SplittableRandom(0)).namedParameters();
      assertEquals(org.gnn4j.tensor.Shape.of(2, 6, 8), p.get("layers.0.weight").shape());
      assertEquals(org.gnn4j.tensor.Shape.of(3, 2), p.get("layers.0.comp").shape());
      p = new GraphModel(ctx, spec("layer: rgcn\nlayers: 1\nhidden: 8\nnum_blocks: 2\n"), typed,
          new SplittableRandom(0)).namedParameters();
      assertEquals(org.gnn4j.tensor.Shape.of(3, 2, 3, 4), p.get("layers.0.weight").shape());
      // a dataset whose edges carry no relation: one line naming where they come from
      var e = assertThrows(IllegalArgumentException.class, () -> new GraphModel(ctx, spec("layer: rgcn\n"),
          new GraphModel.DataShape(6, 0, 0, 0, 4, false), new SplittableRandom(0)));
      assertTrue(e.getMessage().contains("edge_type.tsv.gz"), e.getMessage());
    }
    var e = assertThrows(Gnn4jConfigException.class, () -> spec("layer: sage\nnum_bases: 2\n"));
    assertTrue(e.getMessage().contains("'num_bases'") && e.getMessage().contains("layer rgcn"), e.getMessage());
    e = assertThrows(Gnn4jConfigException.class, () -> spec("layer: rgcn\nnum_bases: 2\nnum_blocks: 2\n"));
    assertTrue(e.getMessage().contains("exclusive"), e.getMessage());
    e = assertThrows(Gnn4jConfigException.class, () -> spec("layer: rgcn\nencoder: {edge: linear}\n"));
    assertTrue(e.getMessage().contains("encoder.edge must be none"), e.getMessage());
  }

  @Test
  void gpsTakesPerformerAttention() {
    GraphLayer l = layer("layer: gps_gine\nattn_type: performer\n" + BASE);
    assertInstanceOf(PerformerAttention.class, ((GpsLayer) l).attention());
    assertFalse(layer("layer: gps_gine\n" + BASE).toString().isEmpty());
    assertFalse(((GpsLayer) layer("layer: gps_gine\n" + BASE)).attention() instanceof PerformerAttention);
  }

  @Test
  void transformerEncoderAndGnAreLayerKinds() {
    assertInstanceOf(TransformerEncoderLayer.class, layer("layer: transformer_encoder\n" + BASE));
    assertEquals(ModelOptions.Pattern.GRAPH,
        spec("layer: transformer_encoder\npattern: graph\n" + BASE).options().pattern());
    assertInstanceOf(GnLayer.class, layer("layer: gn\n" + BASE));
    Map<String, Tensor> gn = params("layer: gn\n" + BASE + "pooling: globals\n");
    assertTrue(gn.containsKey("layers.1.phi_u.0.weight"), gn.keySet().toString());
  }

  @Test
  void sharedBiasIsOneParameterSetForAllLayers() {
    String g = "layer: graphormer\n" + BASE + "pooling: mean\n";
    Map<String, Tensor> own = params(g);
    Map<String, Tensor> shared = params(g + "shared_bias: true\n");
    assertEquals(2, own.keySet().stream().filter(k -> k.contains("spatial_pos_encoder")).count());
    assertEquals(1, shared.keySet().stream().filter(k -> k.contains("spatial_pos_encoder")).count(),
        shared.keySet().toString());
    assertTrue(shared.containsKey("graphormer_bias.spatial_pos_encoder.weight"));
    assertTrue(shared.containsKey("graphormer_bias.edge_encoder.weight"));
    assertEquals(0, ((GraphormerLayer) layer(g + "shared_bias: true\n")).config().maxDist());
  }

  @Test
  void graphTokenCentralityAndDeepSetsAddTheirParameters() {
    Map<String, Tensor> p = params("layer: graphormer\nshared_bias: true\ngraph_token: true\n"
        + "pooling: token\nlayers: 2\nhidden: 16\nheads: 2\nencoder: {node: embedding, edge:"
        + " embedding, degree: 5, pe: lap, pe_k: 4, pe_dim: 4, pe_encoder: sign_invariant}\n");
    assertEquals(16, p.get("graph_token").dim(1));
    assertEquals(6, p.get("centrality_encoder.z_in").dim(0));
    assertTrue(p.containsKey("pe_encoder.phi.0.weight"), p.keySet().toString());
    // the token's own spatial row after the distances 0..20 and "unreachable"
    assertEquals(ModelLayers.MAX_DIST + 3, p.get("graphormer_bias.spatial_pos_encoder.weight").dim(0));
    assertEquals("lap_spectrum", spec("layer: gcn\nencoder: {node: linear, pe: lap, pe_encoder: deepsets}\n").peInput());
  }

  private static String error(String yaml) {
    return assertThrows(Gnn4jConfigException.class, () -> spec(yaml)).getMessage();
  }

  @Test
  void optionsALayerDoesNotTakeAreOneLineWithKeyLineAndChoices() {
    String m = error("layer: gcn\nhidden: 16\npattern: complete\n");
    assertTrue(m.startsWith("m.yaml:3: 'pattern'") && m.contains("valid pattern: complete, graph")
        && m.contains("transformer_encoder"), m);
    m = error("layer: gin\nattn_type: performer\n");
    assertTrue(m.startsWith("m.yaml:2: 'attn_type'") && m.contains("multihead, performer"), m);
    m = error("layer: gps_gin\nattn_type: linear\n");
    assertTrue(m.startsWith("m.yaml:2: 'attn_type'") && m.contains("valid: multihead, performer"), m);
    m = error("layer: gat\nshared_bias: true\n");
    assertTrue(m.startsWith("m.yaml:2: 'shared_bias'") && m.contains("graphormer"), m);
    m = error("layer: graphormer\ngraph_token: true\n");
    assertTrue(m.startsWith("m.yaml:2: 'graph_token'") && m.contains("shared_bias: true"), m);
    m = error("layer: gin\npooling: token\n");
    assertTrue(m.startsWith("m.yaml:2: 'pooling'") && m.contains("graph_token: true"), m);
    m = error("layer: gin\npooling: globals\n");
    assertTrue(m.startsWith("m.yaml:2: 'pooling'") && m.contains("layer: gn"), m);
    m = error("layer: gin\nencoder:\n  node: linear\n  pe: rwse\n  pe_encoder: deepsets\n");
    assertTrue(m.startsWith("m.yaml:5: 'encoder.pe_encoder'") && m.contains("pe: lap"), m);
    m = error("layer: gin\nencoder: {node: linear, pe: lap, pe_encoder: signnet}\n");
    assertTrue(m.contains("valid: linear, deepsets, sign_invariant"), m);
  }

  @Test
  void cycleCountsWidenTheEncodingInput() {
    ModelSpec s = spec("layer: gine\n" + BASE.replace("edge: embedding}", "edge: embedding, pe: rwse, pe_k: 4, pe_dim: 4, cycles: 8}"));
    assertEquals(8, s.options().cycles());
    assertEquals(4 + 6, s.encodingWidth());
    // the linear encoder reads RWSE and the counts: 6 more inputs of 4 outputs each
    String rwse = "layer: gine\npooling: sum\n" + BASE.replace("edge: embedding}", "edge: embedding, pe: rwse, pe_k: 4, pe_dim: 4}");
    String both = rwse.replace("pe_dim: 4}", "pe_dim: 4, cycles: 8}");
    assertEquals(6 * 4, count(params(both)) - count(params(rwse)));
    ModelSpec alone = spec("layer: gin\nhidden: 16\nencoder: {node: embedding, cycles: 6}\n");
    assertTrue(alone.usesEncodingInput());
    assertEquals(4, alone.encodingWidth());
    assertEquals(8, alone.peDim());
    assertFalse(spec("layer: gin\nhidden: 16\nencoder: {node: embedding}\n").usesEncodingInput());
  }

  private static long count(Map<String, Tensor> p) {
    return p.values().stream().mapToLong(Tensor::numel).sum();
  }

  @Test
  void badCycleKeysNameTheKeyLineAndValidValues() {
    String m = error("layer: gin\nhidden: 16\nencoder:\n  node: embedding\n  cycles: 2\n");
    assertTrue(m.startsWith("m.yaml:5: 'encoder.cycles'") && m.contains("0 for none, or 3 to 16"), m);
    m = error("layer: gin\nhidden: 16\nencoder:\n  node: embedding\n  cycles: 40\n");
    assertTrue(m.startsWith("m.yaml:5: 'encoder.cycles'") && m.contains("[0, 16]"), m);
    m = error("layer: gin\nhidden: 16\nencoder:\n  node: embedding\n  pe: lap\n  cycles: 8\n");
    assertTrue(m.startsWith("m.yaml:6: 'encoder.cycles'") && m.contains("pe: rwse"), m);
    m = error("layer: gin\nhidden: 16\nencoder:\n  pe: rwse\n  cycles: 8\n");
    assertTrue(m.contains("set encoder.node"), m);
  }
}
