package org.gnn4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parsed {@code --key value} / {@code --flag} options of one sub-command. Every option a command
 * reads is declared with its default, so {@link #checkNoUnknown} can name typos and list the
 * valid options, and {@code --help} can print them.
 */
public final class Args {
  private final String command;
  private final Map<String, String> values = new LinkedHashMap<>();
  private final Map<String, String> declared = new LinkedHashMap<>();
  private final Map<String, String> help = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();
  private final java.util.Set<String> bare = new java.util.HashSet<>();   // given with no value

  public Args(String command, String[] argv, int from) {
    this.command = command;
    for (int i = from; i < argv.length; i++) {
      String a = argv[i];
      if (a.startsWith("--")) {
        String key = a.substring(2);
        int eq = key.indexOf('=');
        if (eq >= 0) {
          values.put(key.substring(0, eq), key.substring(eq + 1));
        } else if (i + 1 < argv.length && !argv[i + 1].startsWith("--")) {
          values.put(key, argv[++i]);
        } else {
          values.put(key, "true");
          bare.add(key);
        }
      } else {
        positional.add(a);
      }
    }
  }

  /**
   * Declares option {@code key} with its default (null = required/absent) and help text.
   *
   * @throws CliException when the option is given without a value ({@code --out} at the end, or
   *     followed by another option) or with an empty one: never read as "true" or as "here"
   */
  public String option(String key, String defaultValue, String description) {
    declared.put(key, defaultValue);
    help.put(key, description);
    if (bare.contains(key)) {
      throw new CliException(command + ": --" + key + " needs a value (" + description + ")");
    }
    String v = values.getOrDefault(key, defaultValue);
    if (v != null && v.isEmpty()) {
      throw new CliException(command + ": --" + key + " needs a non-empty value (" + description
          + ")");
    }
    return v;
  }

  public int intOption(String key, int defaultValue, String description) {
    String v = option(key, Integer.toString(defaultValue), description);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new CliException(command + ": --" + key + " must be an integer (got '" + v + "')");
    }
  }

  /**
   * {@code --threads}: defaults to the machine's cores; more than that is capped to them with one
   * warning on {@code err} (extra threads only contend for the same cores), fewer than 1 refused.
   */
  public int threadsOption(java.io.PrintStream err) {
    int cores = Runtime.getRuntime().availableProcessors();
    int t = intOption("threads", cores, "worker threads");
    if (t < 1) throw new CliException(command + ": --threads must be >= 1 (got " + t + ")");
    if (t > cores) {
      err.println("gnn4j: --threads " + t + " is more than the machine's " + cores
          + " cores; using " + cores);
      return cores;
    }
    return t;
  }

  /** A switch: present or absent; {@code --key=true|false} is accepted, any other value refused. */
  public boolean flag(String key, String description) {
    declared.put(key, "false");
    help.put(key, description);
    String v = values.getOrDefault(key, "false");
    if (!v.equals("true") && !v.equals("false")) {
      throw new CliException(command + ": --" + key + " takes no value (got '" + v + "'; " + description
          + ")");
    }
    return v.equals("true");
  }

  public boolean wantsHelp() {
    return values.containsKey("help");
  }

  public List<String> positional() {
    return positional;
  }

  /** Throws a {@link CliException} naming every option that no declaration matched. */
  public void checkNoUnknown() {
    for (String k : values.keySet()) {
      if (!declared.containsKey(k) && !k.equals("help")) {
        throw new CliException(command + ": unknown option --" + k + " (valid: "
            + String.join(", ", declared.keySet().stream().map(s -> "--" + s).toList()) + ")");
      }
    }
  }

  /** One line per declared option with its default. */
  public String usage() {
    StringBuilder sb = new StringBuilder();
    for (var e : declared.entrySet()) {
      sb.append(String.format("  --%-14s %s%s%n", e.getKey(), help.get(e.getKey()),
          e.getValue() == null ? "" : " (default: " + e.getValue() + ")"));
    }
    return sb.toString();
  }
}
