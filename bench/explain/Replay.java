import java.nio.file.Path;
import java.util.*;
import org.gnn4j.explain.*;
import org.gnn4j.graph.Graph;
import org.gnn4j.io.Safetensors;
import org.gnn4j.model.*;
import org.gnn4j.tensor.*;

/**
 * Replays PyG's explain-bashapes run (pyg_bashapes_dump.py: its trained GCN, its GNNExplainer
 * initial logits and edge masks per node) in gnn4j: the AUC of PyG's own masks by gnn4j's AUC
 * code, gnn4j's GNNExplainer from PyG's initial logits (and its largest mask difference), and
 * gnn4j's GNNExplainer with its own draws, all on PyG's trained model.
 *   java --add-modules jdk.incubator.vector -cp core/target/classes \
 *       bench/explain/Replay.java PYG_DUMP.safetensors SEED
 */
public class Replay {
  public static void main(String[] a) {
    Safetensors st = Safetensors.read(Path.of(a[0]));
    long seed = Long.parseLong(a[1]);
    BaShapes data = BaShapes.reference();
    try (Context ctx = Context.builder().threads(2).seed(seed).build()) {
      BaShapesRun.Config cfg = BaShapesRun.Config.defaults();
      GraphModel model = BaShapesRun.model(ctx, cfg, new SplittableRandom(0));
      for (var p : model.namedParameters().entrySet()) {
        float[] v = st.get("param." + p.getKey()).floats();
        System.arraycopy(v, 0, p.getValue().data(), 0, v.length);
      }
      model.train(false);
      ModelInput in = ModelInput.of(ctx.ones(data.numNodes(), 10), Graph.of(data.edges()));
      int[] ex = data.explained();
      GnnExplainer g = new GnnExplainer(cfg.explainer());
      List<Explanation> pyg = new ArrayList<>(), withPygInit = new ArrayList<>(), own = new ArrayList<>();
      SplittableRandom root = new SplittableRandom(seed); root.split();
      SplittableRandom masks = root.split();
      double maxDiff = 0;
      for (int k = 0; k < ex.length; k++) {
        Explainable e = Explainable.node(model, in, ex[k], true, false);
        float[] pm = st.get("edge_mask." + k).floats();
        pyg.add(new Explanation("pyg", true, ex[k], e.predicted(), pm, null, 0));
        Explanation x = g.explain(e, st.get("init.edge_mask." + k).floats(), st.get("init.node_mask." + k).floats(), l -> {});
        withPygInit.add(x);
        for (int i = 0; i < pm.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pm[i] - x.edgeMask()[i]));
        own.add(g.explain(e, masks));
      }
      System.out.printf("seed %d  AUC pyg masks %.5f | gnn4j explainer, pyg init %.5f (max |mask diff| %.2e) | gnn4j explainer, own draws %.5f%n",
          seed, BaShapesRun.explanationAuc(data, pyg, 3)[0], BaShapesRun.explanationAuc(data, withPygInit, 3)[0], maxDiff,
          BaShapesRun.explanationAuc(data, own, 3)[0]);
    }
  }
}
