package org.gnn4j.spark.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Row;
import org.gnn4j.data.NodeDatasetReader;
import org.gnn4j.io.JsonText;
import org.gnn4j.spark.tables.GraphTables;

/**
 * Writes a generated graph in gnn4j's plain node-dataset format (docs/data-format.md, section 2:
 * {@code meta.json}, {@code edge_index.tsv.gz}, {@code x_sparse.tsv.gz}, {@code y.tsv.gz},
 * {@code train/val/test.txt}, and {@code edge_type.tsv.gz} for a graph with relations) so {@code gnn4j predict --data DIR} runs on the graph a Spark job
 * reads. Rows come to the driver one partition at a time ({@code toLocalIterator}) in node and
 * edge order; the files go to a temporary folder beside the target, renamed into place when
 * complete, so a failure leaves nothing behind.
 */
final class GenerateGnn4jFiles {
  private GenerateGnn4jFiles() {}

  /** Writes {@code g} (the generator's frames, ids 0..N-1 in partition order) into {@code dir}. */
  static void write(GraphTables.Frames g, GenerateJob.Spec spec, Path dir) {
    Path target = dir.toAbsolutePath().normalize();
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    try {
      Files.createDirectories(tmp);
      writeNodes(g, spec, tmp);
      boolean typed = spec.relations() > 0;
      try (Writer w = gz(tmp.resolve("edge_index.tsv.gz"));
           Writer t = typed ? gz(tmp.resolve(NodeDatasetReader.EDGE_TYPE)) : Writer.nullWriter()) {
        Iterator<Row> it = (typed ? g.edges().select(GraphTables.SRC, GraphTables.DST, GraphTables.RELATION)
            : g.edges().select(GraphTables.SRC, GraphTables.DST)).toLocalIterator();
        while (it.hasNext()) {
          Row r = it.next();
          w.append(Long.toString(r.getLong(0))).append('\t').append(Long.toString(r.getLong(1))).append('\n');
          if (typed) t.append(Integer.toString(r.getInt(2))).append('\n');
        }
      }
      JsonText meta = new JsonText()
          .put("name", target.getFileName().toString()).put("kind", "node_classification")
          .put("num_nodes", spec.nodes()).put("num_features", spec.features())
          .put("num_classes", spec.classes()).put("num_edges", spec.edges()).put("seed", spec.seed());
      if (typed) meta.put("num_relations", spec.relations());
      Files.writeString(tmp.resolve("meta.json"), meta + "\n");
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw new UncheckedIOException("cannot write " + target + " (" + e.getMessage() + ")", e);
    } catch (RuntimeException e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  private static void writeNodes(GraphTables.Frames g, GenerateJob.Spec spec, Path tmp) throws IOException {
    Iterator<Row> it = g.nodes().select(col(GraphTables.ID), col(GraphTables.LABEL), col(GraphTables.SPLIT),
        expr("filter(transform(features, (v, j) -> IF(v = 1.0, j, -1)), j -> j >= 0)").as("ones"))
        .toLocalIterator();
    List<String> splits = List.of("train", "val", "test");
    try (Writer y = gz(tmp.resolve("y.tsv.gz")); Writer x = gz(tmp.resolve("x_sparse.tsv.gz"));
         Writer train = text(tmp.resolve("train.txt")); Writer val = text(tmp.resolve("val.txt"));
         Writer test = text(tmp.resolve("test.txt"))) {
      Writer[] split = {train, val, test};
      long expect = 0;
      while (it.hasNext()) {
        Row r = it.next();
        long id = r.getLong(0);
        if (id != expect++) throw new IllegalStateException("generate: node rows out of order at " + id);
        String ids = Long.toString(id);
        y.append(Integer.toString(r.getInt(1))).append('\n');
        split[splits.indexOf(r.getString(2))].append(ids).append('\n');
        List<Integer> ones = r.getList(3);
        for (int j : ones) x.append(ids).append('\t').append(Integer.toString(j)).append('\n');
      }
    }
  }

  /** Gzip at the fastest level: tens of millions of lines, written once, read once. */
  private static Writer gz(Path p) throws IOException {
    OutputStream o = new GZIPOutputStream(Files.newOutputStream(p), 1 << 16) {
      {
        def.setLevel(Deflater.BEST_SPEED);
      }
    };
    return new BufferedWriter(new OutputStreamWriter(o, StandardCharsets.UTF_8), 1 << 16);
  }

  private static Writer text(Path p) throws IOException {
    return Files.newBufferedWriter(p, StandardCharsets.UTF_8);
  }

  private static void deleteQuietly(Path dir) {
    try (var s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // best effort: the write's own error is the one worth reporting
    }
  }
}
