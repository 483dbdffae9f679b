package org.gnn4j.explain;

/**
 * What an explainer found for one prediction, on the whole graph's ids (PyG's
 * {@code Explanation}): an importance per edge and per node feature, 0 where the prediction
 * cannot depend on the entry. GNNExplainer's masks lie in [0, 1]; gradient methods give
 * attributions (saliency: magnitudes; integrated gradients: signed).
 *
 * @param method the explainer ({@code gnnexplainer}, {@code saliency}, {@code ig}, {@code attention})
 * @param nodeLevel whether {@code id} is a node (else a graph)
 * @param id the explained node or graph
 * @param predicted the class the model predicts for it (-1 for regression)
 * @param edgeMask [E] importance of every edge of the graph, or null when the model's layers
 *     take no edge mask
 * @param featureMask [N * F] importance of every node feature (row-major), or null
 * @param numFeatures F
 */
public record Explanation(String method, boolean nodeLevel, int id, int predicted, float[] edgeMask,
                          float[] featureMask, int numFeatures) {

  /** The edge mask on the restricted edges of {@code e}, or null. */
  float[] edgeMaskOn(Explainable e) {
    if (edgeMask == null) return null;
    int[] map = e.edgeMap();
    float[] out = new float[map.length];
    for (int k = 0; k < map.length; k++) out[k] = edgeMask[map[k]];
    return out;
  }

  /** The feature mask on the restricted nodes of {@code e} ([n * F]), or null. */
  float[] featureMaskOn(Explainable e) {
    if (featureMask == null) return null;
    int[] map = e.nodeMap();
    int f = numFeatures;
    float[] out = new float[map.length * f];
    for (int i = 0; i < map.length; i++) System.arraycopy(featureMask, map[i] * f, out, i * f, f);
    return out;
  }

  /** Sum of |feature importance| of each node: [N], or null. */
  public float[] nodeImportance() {
    if (featureMask == null) return null;
    float[] out = new float[featureMask.length / Math.max(1, numFeatures)];
    for (int i = 0; i < out.length; i++) {
      for (int c = 0; c < numFeatures; c++) out[i] += Math.abs(featureMask[i * numFeatures + c]);
    }
    return out;
  }

  /** Sum of |feature importance| of each feature over the nodes: [F], or null. */
  public float[] featureImportance() {
    if (featureMask == null) return null;
    float[] out = new float[numFeatures];
    for (int k = 0; k < featureMask.length; k++) out[k % numFeatures] += Math.abs(featureMask[k]);
    return out;
  }

  /** Spreads restricted values back onto the whole graph's [full * width] layout. */
  static float[] scatter(float[] restricted, int[] map, int full, int width) {
    float[] out = new float[full * width];
    for (int i = 0; i < map.length; i++) {
      System.arraycopy(restricted, i * width, out, map[i] * width, width);
    }
    return out;
  }
}
