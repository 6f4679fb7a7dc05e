package org.fewstep.data.curriculum;

/**
 * A deterministic teacher for SnapshotRL (discrete-and-data.md section 12): its action at an observation
 * and its critic's value {@code Q(s, pi(s))} there, by which the snapshots are classified.
 */
public interface TeacherPolicy {
  /** The teacher's action at {@code observation}. */
  int action(int observation);

  /** {@code Q(s, pi(s))} at {@code observation}. */
  double value(int observation);
}
