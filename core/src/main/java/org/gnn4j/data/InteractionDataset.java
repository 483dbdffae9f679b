package org.gnn4j.data;

import java.util.Arrays;
import org.gnn4j.graph.EdgeIndex;

/**
 * Implicit feedback between users and items (who rated, clicked or bought what), the data of a
 * recommender: each distinct (user, item) pair once, users and items renumbered densely from
 * their original ids in ascending order (user {@code k} -> {@code k}, item {@code k} -> {@code
 * k}; as one graph, item {@code k} is node {@code U + k}). Interactions are sorted by user, then
 * item, so a user's items are one contiguous, ascending run ({@link #userPtr}). Optional item
 * titles (MovieLens {@code movies.csv}) are for people reading recommendations.
 *
 * <p>Read by {@link InteractionDatasetReader}; split into train and test by
 * {@link InteractionSplit}.
 */
public final class InteractionDataset {
  private static final String OP = "InteractionDataset";
  private final String name;
  private final DataSource source;
  private final int[] userIds;    // [U] original ids, ascending
  private final int[] itemIds;    // [I] original ids, ascending
  private final int[] userPtr;    // [U + 1] offsets of each user's interactions
  private final int[] users;      // [M] local user of interaction m
  private final int[] items;      // [M] local item of interaction m
  private final String[] titles;  // [I] or null
  private final String describe;

  /**
   * @param users [M] local user of each interaction, non-decreasing
   * @param items [M] local item of each interaction, ascending within a user, no repeats
   * @param titles [I] item titles (an entry may be null), or null when the data has none
   * @param describe how messages name the data, e.g. {@code movielens_small (all ratings)}
   * @throws IllegalArgumentException if the ids are not ascending or the pairs not sorted
   */
  public InteractionDataset(String name, DataSource source, int[] userIds, int[] itemIds,
                            int[] users, int[] items, String[] titles, String describe) {
    checkAscending("userIds", userIds);
    checkAscending("itemIds", itemIds);
    if (users.length != items.length || (titles != null && titles.length != itemIds.length)) {
      throw new IllegalArgumentException(OP + ": users, items and titles disagree in length (got "
          + users.length + ", " + items.length + ", " + (titles == null ? "none" : titles.length)
          + "; expected M, M and " + itemIds.length + ")");
    }
    int[] ptr = new int[userIds.length + 1];
    for (int m = 0; m < users.length; m++) {
      int u = users[m];
      int i = items[m];
      if (u < 0 || u >= userIds.length || i < 0 || i >= itemIds.length) {
        throw new IllegalArgumentException(OP + ": interaction " + m + " = (" + u + ", " + i
            + ") is out of range [0, " + userIds.length + ") x [0, " + itemIds.length + ")");
      }
      if (m > 0 && (u < users[m - 1] || (u == users[m - 1] && i <= items[m - 1]))) {
        throw new IllegalArgumentException(OP + ": interactions must be sorted by user then item"
            + " without repeats (got (" + users[m - 1] + ", " + items[m - 1] + ") before (" + u
            + ", " + i + ") at " + m + ")");
      }
      ptr[u + 1]++;
    }
    for (int u = 0; u < userIds.length; u++) ptr[u + 1] += ptr[u];
    this.name = name;
    this.source = source;
    this.userIds = userIds;
    this.itemIds = itemIds;
    this.userPtr = ptr;
    this.users = users;
    this.items = items;
    this.titles = titles;
    this.describe = describe;
  }

  private static void checkAscending(String what, int[] ids) {
    for (int k = 1; k < ids.length; k++) {
      if (ids[k] <= ids[k - 1]) {
        throw new IllegalArgumentException(OP + ": " + what + " must be strictly ascending (got "
            + ids[k - 1] + " then " + ids[k] + " at " + k + ")");
      }
    }
  }

  public String name() {
    return name;
  }

  /** Where the files came from (split files are read from it too). */
  public DataSource source() {
    return source;
  }

  /** The data in words, with the filter that made it, for messages. */
  public String describe() {
    return describe;
  }

  public int numUsers() {
    return userIds.length;
  }

  public int numItems() {
    return itemIds.length;
  }

  public int numInteractions() {
    return items.length;
  }

  /** Original id of local user {@code u}. */
  public int userId(int u) {
    return userIds[u];
  }

  /** Original id of local item {@code i}. */
  public int itemId(int i) {
    return itemIds[i];
  }

  /** Local index of an original user id, or -1 if the data has no such user. */
  public int userIndex(int originalId) {
    int k = Arrays.binarySearch(userIds, originalId);
    return k < 0 ? -1 : k;
  }

  /** Local index of an original item id, or -1 if no kept interaction has that item. */
  public int itemIndex(int originalId) {
    int k = Arrays.binarySearch(itemIds, originalId);
    return k < 0 ? -1 : k;
  }

  /** [U + 1]: user {@code u}'s interactions are {@code userPtr[u] .. userPtr[u+1]-1}. */
  public int[] userPtr() {
    return userPtr;
  }

  /** [M] local item of every interaction (the caller must not modify it). */
  public int[] items() {
    return items;
  }

  /** Local user of interaction {@code m}. */
  public int userOf(int m) {
    return users[m];
  }

  /** The interaction index of (local user, local item), or -1 if they never interacted. */
  public int find(int user, int item) {
    int k = Arrays.binarySearch(items, userPtr[user], userPtr[user + 1], item);
    return k < 0 ? -1 : k;
  }

  /** Whether the data carries item titles. */
  public boolean hasTitles() {
    return titles != null;
  }

  /** Title of local item {@code i}, or null when the data has none for it. */
  public String title(int i) {
    return titles == null ? null : titles[i];
  }

  /**
   * The user-item graph of the interactions {@code rows} (indices into [0, M)) over U + I nodes,
   * each pair in both directions (user -> item, item -> user), as LightGCN propagates on it.
   */
  public EdgeIndex graph(int[] rows) {
    int u = numUsers();
    int[] src = new int[2 * rows.length];
    int[] dst = new int[2 * rows.length];
    for (int k = 0; k < rows.length; k++) {
      int m = rows[k];
      int user = userOf(m);
      src[k] = user;
      dst[k] = u + items[m];
      src[rows.length + k] = u + items[m];
      dst[rows.length + k] = user;
    }
    return EdgeIndex.of(src, dst, u + numItems());
  }

  @Override
  public String toString() {
    return OP + "(" + describe + ": " + numUsers() + " users, " + numItems() + " items, "
        + numInteractions() + " interactions)";
  }
}
