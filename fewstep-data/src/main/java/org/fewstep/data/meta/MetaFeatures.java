package org.fewstep.data.meta;

import java.util.List;

/**
 * What MetaInf knows about a situation of one domain ({@link PerformanceTable.Domain}): the numeric
 * vector the learners see and the raw values written to the records' feature columns.
 */
public interface MetaFeatures {
  /** The numeric feature vector the learners see (standardised by the selector). */
  double[] vector();

  /** The values of the domain's feature columns, in column order. */
  List<Object> cells();
}
