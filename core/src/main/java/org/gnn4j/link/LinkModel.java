package org.gnn4j.link;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.model.GraphModel;
import org.gnn4j.model.ModelInput;
import org.gnn4j.nn.Module;
import org.gnn4j.tensor.Tensor;

/**
 * A link predictor: a {@link GraphModel} encoder that maps the message-passing graph to node
 * embeddings z [N, D] (its output width D is the embedding width), and a {@link LinkDecoder}
 * that scores node pairs from z. The encoder's parameters keep their {@code GraphModel} names;
 * the decoder's are under {@code decoder.}.
 */
public final class LinkModel implements Module {
  private final GraphModel encoder;
  private final LinkDecoder decoder;

  public LinkModel(GraphModel encoder, LinkDecoder decoder) {
    this.encoder = encoder;
    this.decoder = decoder;
  }

  public GraphModel encoder() {
    return encoder;
  }

  public LinkDecoder decoder() {
    return decoder;
  }

  /** Node embeddings on {@code in}'s graph: [N, D]. */
  public Tensor embed(ModelInput in) {
    return encoder.forward(in);
  }

  /** Scores [P] of {@code pairs} from embeddings {@code z} (untyped pairs). */
  public Tensor score(Tensor z, NodePairs pairs) {
    return decoder.score(z, pairs);
  }

  @Override
  public void train(boolean on) {
    encoder.train(on);
    decoder.train(on);
  }

  @Override
  public Map<String, Tensor> namedParameters() {
    Map<String, Tensor> m = new LinkedHashMap<>(encoder.namedParameters());
    Module.addAll(m, "decoder", decoder);
    return m;
  }
}
