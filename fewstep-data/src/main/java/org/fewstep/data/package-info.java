/**
 * Sampling training data and curricula (issue 10; ../shared/papers/discrete-and-data.md Parts B and
 * C): which examples, prompts, tasks or start states a learner trains on, and the support algorithms
 * those samplers need.
 */
package org.fewstep.data;
