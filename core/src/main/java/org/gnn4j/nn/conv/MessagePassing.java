package org.gnn4j.nn.conv;

import org.gnn4j.graph.EdgeIndex;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Tensor;

/**
 * A local message-passing layer that graph transformers (GPS) can plug in: node features and
 * edges in, node features of the same width out, edge features optional.
 */
public interface MessagePassing extends Module {
  /**
   * @param x [N, F]
   * @param edgeAttr [E, D] or null; layers that use no edge features ignore it
   */
  Tensor forward(Tensor x, EdgeIndex edges, Tensor edgeAttr);
}
