package org.gnn4j.data.relational;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.gnn4j.data.DataFormatException;
import org.gnn4j.data.DataSource;

/**
 * Tables stored as CSV files (RFC 4180: a header row, comma-separated fields, fields with commas,
 * quotes or line breaks in double quotes, {@code ""} for a quote; {@code .gz} files are read
 * decompressed) beside the schema file, in a directory or an embedded dataset. An empty field is
 * a missing value.
 */
public final class CsvTables implements TableSource {
  private final DataSource files;

  /** @param files where the schema's {@code file} names are looked up */
  public CsvTables(DataSource files) {
    this.files = files;
  }

  @Override
  public String describe() {
    return files.describe("");
  }

  @Override
  public RawTable read(TableSpec table) {
    return read(table, false);
  }

  /** Every column of the table's file, in file order (what {@code gnn4j db import} copies). */
  public RawTable readAll(TableSpec table) {
    return read(table, true);
  }

  private RawTable read(TableSpec table, boolean all) {
    String name = files.describe(table.file());
    if (!files.has(table.file())) {
      throw new DataFormatException(name, 0, "table " + table.name() + ": file is missing");
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(files.open(table.file()),
        StandardCharsets.UTF_8), 1 << 16)) {
      Record header = next(in, name, 0);
      if (header == null) throw new DataFormatException(name, 1, "table " + table.name() + ": file is empty (expected a header row)");
      List<String> needed = table.neededColumns();
      if (all) {
        for (String c : needed) {
          if (!Arrays.asList(header.fields).contains(c)) {
            throw new DataFormatException(name, 1, "table " + table.name() + ": column '" + c
                + "' named by the schema is not in the header (columns: " + String.join(", ", header.fields) + ")");
          }
        }
        needed = List.of(header.fields);
      }
      int[] at = new int[needed.size()];
      for (int i = 0; i < at.length; i++) {
        at[i] = Arrays.asList(header.fields).indexOf(needed.get(i));
        if (at[i] < 0) {
          throw new DataFormatException(name, 1, "table " + table.name() + ": column '" + needed.get(i)
              + "' named by the schema is not in the header (columns: " + String.join(", ", header.fields) + ")");
        }
      }
      List<String[]> rows = new ArrayList<>();
      List<Integer> lines = new ArrayList<>();
      int line = header.endLine;
      for (Record r = next(in, name, line); r != null; r = next(in, name, line)) {
        line = r.endLine;
        if (r.fields.length == 1 && r.fields[0].isEmpty()) continue; // a blank line
        if (r.fields.length != header.fields.length) {
          throw new DataFormatException(name, r.line, "table " + table.name() + ": expected "
              + header.fields.length + " fields as in the header, found " + r.fields.length);
        }
        String[] row = new String[at.length];
        for (int i = 0; i < at.length; i++) row[i] = r.fields[at[i]].isEmpty() ? null : r.fields[at[i]];
        rows.add(row);
        lines.add(r.line);
      }
      return new RawTable(table, needed, rows.toArray(String[][]::new), name,
          lines.stream().mapToInt(Integer::intValue).toArray());
    } catch (IOException e) {
      throw new DataFormatException(name, 0, "table " + table.name() + ": read failed: " + e.getMessage(), e);
    }
  }

  /** One CSV record: its fields and the lines it starts and ends on. */
  private record Record(String[] fields, int line, int endLine) {}

  /** The next record after line {@code line}, or null at the end. */
  private static Record next(BufferedReader in, String name, int line) throws IOException {
    String s = in.readLine();
    if (s == null) return null;
    int start = line + 1;
    int end = start;
    List<String> fields = new ArrayList<>();
    StringBuilder f = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (true) {
      if (i == s.length()) {
        if (!quoted) break;
        String more = in.readLine(); // a line break inside quotes belongs to the field
        if (more == null) throw new DataFormatException(name, start, "unterminated quoted field");
        end++;
        f.append('\n');
        s = more;
        i = 0;
        continue;
      }
      char c = s.charAt(i++);
      if (quoted) {
        if (c != '"') {
          f.append(c);
        } else if (i < s.length() && s.charAt(i) == '"') {
          f.append('"');
          i++;
        } else {
          quoted = false;
        }
      } else if (c == ',') {
        fields.add(f.toString());
        f.setLength(0);
      } else if (c == '"' && f.isEmpty()) {
        quoted = true;
      } else if (c != '\r' || i < s.length()) {
        f.append(c);
      }
    }
    fields.add(f.toString());
    return new Record(fields.toArray(String[]::new), start, end);
  }
}
