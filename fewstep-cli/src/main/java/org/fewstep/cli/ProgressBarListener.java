package org.fewstep.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.fewstep.core.listen.StepEvent;
import org.fewstep.core.listen.StepListener;

/** A terminal progress bar (on stderr) over solver steps, showing the NFE so far. */
final class ProgressBarListener implements StepListener {
  private final String task;
  private ProgressBar bar;

  ProgressBarListener(String task) {
    this.task = task;
  }

  /** A progress bar when stderr is a terminal, else nothing. */
  static StepListener forTerminal(String task, boolean quiet) {
    return quiet || System.console() == null ? StepListener.NONE : new ProgressBarListener(task);
  }

  @Override
  public void onStart(int steps) {
    bar = new ProgressBarBuilder().setTaskName(task).setInitialMax(steps < 0 ? -1 : steps)
        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate().build();
  }

  @Override
  public void onStep(StepEvent event) {
    bar.stepTo(event.step());
    bar.setExtraMessage("NFE " + event.nfe());
  }

  @Override
  public void onFinish(int nfe) {
    bar.setExtraMessage("NFE " + nfe);
    bar.close();
  }
}
