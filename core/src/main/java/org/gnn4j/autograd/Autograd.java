package org.gnn4j.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import org.gnn4j.internal.kernel.ContextAccess;
import org.gnn4j.tensor.Context;
import org.gnn4j.tensor.Tensor;

/**
 * Reverse-mode differentiation: a topological walk from the loss back over the recorded
 * {@link Node}s, in the spirit of micrograd. Gradients land in the leaves'
 * {@link Tensor#grad()}; intermediate gradients and the recorded graph are released as the walk
 * passes them, so a backward pass holds at most one generation of intermediates at once.
 */
public final class Autograd {
  private Autograd() {}

  /**
   * Back-propagates from a scalar {@code loss} (one element) with seed gradient 1.
   *
   * @throws IllegalArgumentException if {@code loss} has more than one element
   * @throws IllegalStateException if {@code loss} was not computed from anything needing a grad
   */
  public static void backward(Tensor loss) {
    if (loss.numel() != 1) {
      throw new IllegalArgumentException(
          "backward: loss must have one element (got shape " + loss.shape()
              + "); reduce it first or pass a gradient with backward(out, gradOut)");
    }
    backward(loss, new float[] {1f});
  }

  /** Back-propagates from {@code out} with the given dLoss/dOut (laid out like {@code out}). */
  public static void backward(Tensor out, float[] gradOut) {
    if (gradOut.length != out.numel()) {
      throw new IllegalArgumentException(
          "backward: gradient has " + gradOut.length + " elements, expected " + out.numel()
              + " for output shape " + out.shape());
    }
    if (!out.requiresGrad()) {
      throw new IllegalStateException(
          "backward: the output does not require a gradient (no input had requiresGrad, or it"
              + " was computed under noGrad)");
    }
    List<Tensor> order = topologicalOrder(out);
    out.accumulateGrad(gradOut.clone());
    Context ctx = out.ctx();
    ContextAccess.backwardBegin(ctx);
    try {
      for (int i = order.size() - 1; i >= 0; i--) {
        Tensor t = order.get(i);
        Node node = t.node();
        float[] g = t.gradArray();
        if (node == null || g == null) continue;
        int mark = ContextAccess.backwardMark(ctx);
        node.backward(g); // may hand g itself to an input (Node.handOver): t must not keep it
        ContextAccess.backwardRelease(ctx, mark, node.inputs()); // its scratch, back to the pool
        t.releaseGraph(); // frees the node (and what it saved) and the intermediate gradient
        if (!handedOver(node, g)) ContextAccess.gradDead(ctx, g);
      }
    } finally {
      ContextAccess.backwardEnd(ctx, order);
    }
  }

  /** Whether {@code g} became an input's gradient (Node.handOver) rather than dying with its node. */
  private static boolean handedOver(Node node, float[] g) {
    for (Tensor in : node.inputs()) {
      if (in != null && in.gradArray() == g) return true;
    }
    return false;
  }

  /** Tensors reachable from {@code root} through recorded nodes, inputs before users. */
  private static List<Tensor> topologicalOrder(Tensor root) {
    List<Tensor> order = new ArrayList<>();
    IdentityHashMap<Tensor, Boolean> seen = new IdentityHashMap<>();
    // Iterative post-order DFS: deep graphs (hundreds of layers x ops) must not overflow the stack.
    ArrayDeque<Object[]> stack = new ArrayDeque<>();
    stack.push(new Object[] {root, 0});
    seen.put(root, Boolean.TRUE);
    while (!stack.isEmpty()) {
      Object[] top = stack.peek();
      Tensor t = (Tensor) top[0];
      int next = (Integer) top[1];
      Node node = t.node();
      Tensor[] inputs = node == null ? new Tensor[0] : node.inputs();
      if (next < inputs.length) {
        top[1] = next + 1;
        Tensor in = inputs[next];
        if (in.requiresGrad() && seen.put(in, Boolean.TRUE) == null) {
          stack.push(new Object[] {in, 0});
        }
      } else {
        stack.pop();
        order.add(t);
      }
    }
    return order;
  }
}
