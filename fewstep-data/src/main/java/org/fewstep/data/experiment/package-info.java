/** Experiments of fewstep-data whose tables go to the benchmarks page (see each class for the call). */
package org.fewstep.data.experiment;
