package org.gnn4j.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.gnn4j.config.ConfigNode;
import org.gnn4j.data.relational.ColumnKind;
import org.gnn4j.data.relational.ColumnSpec;
import org.gnn4j.data.relational.RelationalDatasets;
import org.gnn4j.data.relational.RelationalGraph;
import org.gnn4j.data.relational.TableSpec;
import org.gnn4j.graph.Relation;
import org.gnn4j.tensor.Context;

/**
 * The {@code dataset} section of a config that trains on relational tables: {@code schema} (a
 * shipped name such as {@code movielens}, or a schema file with its CSV files beside it),
 * optionally {@code jdbc} (read the schema's tables from that database instead, e.g.
 * {@code jdbc:sqlite:movielens.db}), {@code target} ({@code table.column}: the numeric column to
 * predict, whose table's first two foreign keys are the pair, e.g. {@code ratings.rating}), and
 * the temporal split's {@code val_fraction} and {@code test_fraction} (0.1 each by default), and
 * {@code history}: which rows of the target table a prediction at time t may see, {@code
 * before_time} (every row strictly before t, as the database then held them; the default) or
 * {@code training_rows} (only training rows before t: what the baselines are fitted on), and
 * {@code temporal_strategy}: {@code uniform} draws among the visible neighbours, {@code last}
 * takes the latest (PyG's names).
 */
public final class RelationalSpec {
  private final ConfigNode node;
  private final String schema;
  private final String jdbc;
  private final String table;
  private final String column;
  private final double valFraction;
  private final double testFraction;
  private final boolean trainingHistoryOnly;
  private final boolean latest;

  private RelationalSpec(ConfigNode d) {
    this.node = d;
    this.schema = d.string("schema", null);
    this.jdbc = d.string("jdbc", null);
    String target = d.string("target", null);
    if (target == null || target.indexOf('.') <= 0 || target.endsWith(".")) {
      throw d.error("target", "needs the column to predict as table.column (e.g. ratings.rating; found "
          + (target == null ? "nothing" : "'" + target + "'") + ")");
    }
    this.table = target.substring(0, target.indexOf('.'));
    this.column = target.substring(target.indexOf('.') + 1);
    this.valFraction = d.number("val_fraction", 0.1, 0, 0.9);
    this.testFraction = d.number("test_fraction", 0.1, 0, 0.9);
    this.latest = d.choice("temporal_strategy", "uniform", "uniform", "last").equals("last");
    this.trainingHistoryOnly = d.choice("history", "before_time", "before_time", "training_rows").equals("training_rows");
    if (valFraction + testFraction >= 1) throw d.error("test_fraction", "val_fraction + test_fraction must be below 1");
  }

  static RelationalSpec from(ConfigNode d) {
    return new RelationalSpec(d);
  }

  double valFraction() {
    return valFraction;
  }

  public String describe() {
    return schema + (jdbc != null ? " (" + jdbc + ")" : "") + ", " + table + "." + column;
  }

  /** The graph of the tables (CSV, or the database when {@code jdbc} is set). */
  public RelationalGraph load() {
    try {
      return RelationalDatasets.load(schema, jdbc);
    } catch (org.gnn4j.io.Gnn4jConfigException e) {
      throw e; // already names the schema, data file or database
    } catch (IllegalArgumentException e) {
      throw node.error("schema", e.getMessage());
    }
  }

  /** The rating task of the target column, with the train section's fan-outs. */
  RatingTask task(Context ctx, Experiment.TrainSpec train, ConfigNode trainNode) {
    RelationalGraph g = load();
    if (!g.tables().containsKey(table)) {
      throw node.error("target", "table '" + table + "' is not in the schema (tables with rows: "
          + String.join(", ", g.tables().keySet()) + ")");
    }
    TableSpec spec = g.tables().get(table).spec();
    ColumnSpec c = spec.column(column);
    if (c == null || c.kind() != ColumnKind.NUMERIC) {
      throw node.error("target", "column '" + column + "' of table " + table + " is not a numeric feature column"
          + " of the schema");
    }
    if (spec.time() == null || spec.foreignKeys().size() < 2) {
      throw node.error("target", "table " + table + " needs a time column and two foreign keys (the pair)");
    }
    Map<Relation, int[]> fanouts = new LinkedHashMap<>();
    if (train.fanouts() != null) {
      for (Relation r : g.data().graph().relations()) fanouts.put(r, train.fanouts());
    } else if (train.relationFanouts() != null) {
      for (var e : train.relationFanouts().entrySet()) {
        try {
          fanouts.put(Relation.parse(e.getKey()), e.getValue());
        } catch (IllegalArgumentException ex) {
          throw trainNode.error("fanouts", ex.getMessage());
        }
      }
    } else {
      throw trainNode.error("fanouts", "is needed: every example is encoded on its own time-respecting sample"
          + " (e.g. fanouts: [20, 10])");
    }
    try {
      return new RatingTask(ctx, g, table, column, valFraction, testFraction, trainingHistoryOnly, fanouts,
          latest, train.batchSize(), train.seed());
    } catch (org.gnn4j.io.Gnn4jConfigException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      // the sampler names a missing or unknown relation; the split a fraction that leaves no training
      throw e.getMessage().startsWith("TemporalNeighborSampler") ? trainNode.error("fanouts", e.getMessage())
          : node.error("val_fraction", e.getMessage());
    }
  }
}
