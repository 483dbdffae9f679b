import java.nio.file.*;
import java.util.*;
import org.gnn4j.explain.*;
import org.gnn4j.graph.Graph;
import org.gnn4j.io.Safetensors;
import org.gnn4j.model.*;
import org.gnn4j.ops.CrossEntropy;
import org.gnn4j.optim.Adam;
import org.gnn4j.tensor.*;

/**
 * gnn4j's explain-bashapes pipeline (BaShapesRun: the same training, GNNExplainer and AUC, the
 * same mask draws for the seed) with the GCN's initial weights taken from PyG's draw for the seed
 * (pyg_bashapes_init.py), or gnn4j's own with "-": isolates what the initial weights do to the
 * explanation AUC. Optionally compares the trained weights with PyG's (pyg_bashapes_dump.py).
 *   java --add-modules jdk.incubator.vector -cp core/target/classes \
 *       bench/explain/TrainFrom.java (INIT.safetensors | -) SEED [PYG_TRAINED.safetensors]
 */
public class TrainFrom {
  public static void main(String[] a) {
    Safetensors init = a[0].equals("-") ? null : Safetensors.read(Path.of(a[0]));
    long seed = Long.parseLong(a[1]);
    Safetensors trained = a.length > 2 && Files.exists(Path.of(a[2])) ? Safetensors.read(Path.of(a[2])) : null;
    BaShapes data = BaShapes.reference();
    try (Context ctx = Context.builder().threads(1).seed(seed).build()) {
      BaShapesRun.Config cfg = BaShapesRun.Config.defaults();
      SplittableRandom root = new SplittableRandom(seed);
      GraphModel model = BaShapesRun.model(ctx, cfg, root.split());
      if (init != null) for (var p : model.namedParameters().entrySet()) {
        float[] v = init.get("param." + p.getKey()).floats();
        System.arraycopy(v, 0, p.getValue().data(), 0, v.length);
      }
      ModelInput in = ModelInput.of(ctx.ones(data.numNodes(), 10), Graph.of(data.edges()));
      Adam adam = new Adam(new ArrayList<>(model.namedParameters().values()), Adam.Config.of(0.001f, 0.005f));
      model.train(true);
      for (int ep = 0; ep < 2000; ep++) {
        adam.zeroGrad();
        CrossEntropy.apply(model.forward(in), data.y(), data.trainNodes()).backward();
        adam.step();
      }
      model.train(false);
      if (trained != null) {
        double md = 0, mx = 0;
        for (var p : model.namedParameters().entrySet()) {
          float[] v = trained.get("param." + p.getKey()).floats();
          float[] w = p.getValue().data();
          for (int i = 0; i < v.length; i++) { md = Math.max(md, Math.abs(v[i] - w[i])); mx = Math.max(mx, Math.abs(v[i])); }
        }
        System.out.printf("seed %d: max |gnn4j trained - PyG trained| = %.3e (max |w| %.3f)%n", seed, md, mx);
      }
      GnnExplainer g = new GnnExplainer(cfg.explainer());
      SplittableRandom masks = root.split();
      List<Explanation> out = new ArrayList<>();
      for (int v : data.explained()) out.add(g.explain(Explainable.node(model, in, v, true, false), masks));
      double[] auc = BaShapesRun.explanationAuc(data, out, 3);
      System.out.printf("seed %d init %s: gnn4j mask draws: AUC %.5f (per-node %.5f)%n", seed, init == null ? "gnn4j" : "PyG", auc[0], auc[1]);
    }
  }
}
