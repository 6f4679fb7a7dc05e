/**
 * Curricula (../shared/papers/discrete-and-data.md sections 11 and 12): teachers that choose the task
 * parameters a student trains on (ALP-GMM, Portelas et al., CoRL 2019, with the random baseline and
 * teachDeepRL's ToyEnv), and SnapshotRL / S3RL start states from a teacher's trajectories (Zhao et al.,
 * 2024) over environments that can snapshot and restore their whole state.
 */
package org.fewstep.data.curriculum;
