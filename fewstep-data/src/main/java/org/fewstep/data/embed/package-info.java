/** Sentence embeddings for the data samplers (MIG label graphs, Add-One-In's embedding chooser). */
package org.fewstep.data.embed;
