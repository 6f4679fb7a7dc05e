/**
 * Offline-RL data sampling: trajectory weighting for mixed data sets (Hong et al., ICLR 2023;
 * ../shared/papers/discrete-and-data.md section 10).
 */
package org.fewstep.data.rl;
