package org.gnn4j.spark.infer.attention;


import org.gnn4j.model.GraphModel;
import org.gnn4j.spark.infer.InferenceHarness;
import org.gnn4j.spark.infer.LayerwiseInference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Layer-wise inference on Spark ({@code local[2]}) of the attention kinds (gat, gatv2,
 * transformer, GPS with Performer attention) against {@link GraphModel}'s forward on one
 * machine, on Cora and on a random graph of 10,000 nodes with arbitrary long ids, self-loops,
 * duplicate edges, hubs, isolated nodes and edge features. Every parameter of the models is
 * perturbed (biases, norm statistics), so a dropped term shows.
 */
class AttentionInferenceTest {
  static InferenceHarness h;

  @BeforeAll
  static void start() {
    h = new InferenceHarness(21, true);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  void gatOnCoraWithAveragedOutputHeads() {
    h.onCora("layer: gat, layers: 2, hidden: 16, heads: 4, out_heads: 2, head: {type: conv}");
  }

  @Test
  void gatv2OnCoraWithNormAndResidual() {
    h.onCora("layer: gatv2, layers: 2, hidden: 16, heads: 2, encoder: {node: linear}, norm: batch,"
        + " residual: true");
  }

  @Test
  void transformerOnCora() {
    h.onCora("layer: transformer, layers: 2, hidden: 16, heads: 2, head: {type: conv}");
  }

  @Test
  void gpsPerformerOnCora() {
    h.onCora("layer: gps_gin, attn_type: performer, layers: 2, hidden: 16, heads: 2,"
        + " encoder: {node: linear}");
  }

  @Test
  void gatEmbeddingsOnRandomGraphWithSelfLoopsAndHubs() {
    h.onRandomGraph("layer: gat, layers: 2, hidden: 8, heads: 2", false,
        LayerwiseInference.Output.EMBEDDINGS);
  }

  @Test
  void transformerOnRandomGraphWithEdgeFeatures() {
    h.onRandomGraph("layer: transformer, layers: 2, hidden: 8, heads: 2, head: {type: conv}", true,
        LayerwiseInference.Output.PREDICTIONS);
  }

  @Test
  void gpsPerformerOnRandomGraphWithEdgeFeatures() {
    h.onRandomGraph("layer: gps_gine, attn_type: performer, layers: 2, hidden: 8, heads: 2,"
        + " encoder: {node: linear, edge: linear}", true, LayerwiseInference.Output.PREDICTIONS);
  }
}
