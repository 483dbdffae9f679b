package org.gnn4j.spark.precompute;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name value} options of a Spark job, parsed once: unknown names, missing values and
 * numbers that do not parse fail with one line naming the option.
 */
public final class JobOptions {
  private JobOptions() {}

  /** The options of {@code args}, each one of {@code known}. */
  public static Map<String, String> parse(String[] args, Set<String> known, String job) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!known.contains(args[i])) {
        throw new IllegalArgumentException(job + ": unknown option '" + args[i] + "' (valid: "
            + String.join(", ", known.stream().sorted().toList()) + ")");
      }
      if (i + 1 >= args.length) throw new IllegalArgumentException(job + ": " + args[i] + " needs a value");
      m.put(args[i], args[++i]);
    }
    return m;
  }

  public static String required(Map<String, String> o, String name, String job) {
    String v = o.get(name);
    if (v == null) throw new IllegalArgumentException(job + ": " + name + " is required");
    return v;
  }

  public static int integer(Map<String, String> o, String name, int def) {
    long v = longInt(o, name, def);
    if (v != (int) v) throw new IllegalArgumentException(name + ": out of range (got " + v + ")");
    return (int) v;
  }

  public static long longInt(Map<String, String> o, String name, long def) {
    String v = o.get(name);
    if (v == null) return def;
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not an integer (got '" + v + "')");
    }
  }

  public static float real(Map<String, String> o, String name, float def) {
    String v = o.get(name);
    if (v == null) return def;
    try {
      return Float.parseFloat(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + ": not a number (got '" + v + "')");
    }
  }
}
