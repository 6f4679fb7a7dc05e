/**
 * Small classifiers trained by mini-batch SGD with RS2's optimiser defaults (Okanovic et al., ICLR 2024;
 * ../shared/papers/discrete-and-data.md section 6): softmax regression and a one-hidden-layer ReLU network on
 * flat {@code double[]} data, and the deterministic split of the bundled MNIST digits.
 */
package org.fewstep.data.train;
