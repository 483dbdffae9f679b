package org.gnn4j.nn.gn;

import java.util.Map;
import org.gnn4j.nn.Mlp;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Tensor;

/**
 * One of a Graph Network block's update functions phi_e, phi_v, phi_u: a learned map from the
 * concatenated inputs of each edge, node or graph to its new features, [rows, inChannels] ->
 * [rows, outChannels]. Any module will do; {@link #of(Mlp)} adapts the default, an MLP.
 */
public interface UpdateFunction extends Module {
  /** in [rows, inChannels()] -> [rows, outChannels()]. */
  Tensor apply(Tensor in);

  int inChannels();

  int outChannels();

  /** An MLP as an update function; its parameters keep their names (0.weight, ...). */
  static UpdateFunction of(Mlp mlp) {
    return new UpdateFunction() {
      @Override
      public Tensor apply(Tensor in) {
        return mlp.forward(in);
      }

      @Override
      public int inChannels() {
        return mlp.inChannels();
      }

      @Override
      public int outChannels() {
        return mlp.outChannels();
      }

      @Override
      public Map<String, Tensor> namedParameters() {
        return mlp.namedParameters();
      }
    };
  }
}
