package org.gnn4j.data.relational;

/**
 * How a table column becomes node features: a number (standardised), a category (one-hot), a
 * set of categories in one field (multi-hot, e.g. pipe-separated genres), free text (a hashed
 * bag of words) or a point in time (standardised seconds plus the hour of day and day of week).
 * The names are what a schema file writes, in lower case.
 */
public enum ColumnKind {
  NUMERIC, CATEGORICAL, MULTI, TEXT, TIMESTAMP
}
