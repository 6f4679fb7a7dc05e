package org.fewstep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG charts (XChart): log-log error curves and 2-D scatter plots of samples. */
public final class Plots {
  private Plots() {}

  /** One line per series: x and y values (same length), on log-log axes. */
  public record Series(String name, double[] x, double[] y) {}

  /** Writes a log-log line chart with markers. */
  public static void logLog(Path png, String title, String xLabel, String yLabel, List<Series> series) {
    lines(png, title, xLabel, yLabel, series, true);
  }

  /** Writes a line chart with markers, x on a log axis and y linear (accuracy against budget). */
  public static void logX(Path png, String title, String xLabel, String yLabel, List<Series> series) {
    lines(png, title, xLabel, yLabel, series, false);
  }

  private static void lines(Path png, String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
    XYChart chart = new XYChartBuilder().width(1000).height(700).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setYAxisLogarithmic(logY);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    for (Series s : series) {
      if (s.x().length > 0) {
        chart.addSeries(s.name(), s.x(), s.y());
      }
    }
    write(chart, png);
  }

  /** Writes a scatter plot of named point sets. */
  public static void scatter(Path png, String title, Map<String, double[][]> sets) {
    XYChart chart = new XYChartBuilder().width(700).height(700).title(title).xAxisTitle("x[0]").yAxisTitle("x[1]").build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(5);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    for (Map.Entry<String, double[][]> e : sets.entrySet()) {
      XYSeries s = chart.addSeries(e.getKey(), e.getValue()[0], e.getValue()[1]);
      s.setMarker(SeriesMarkers.CIRCLE);
    }
    write(chart, png);
  }

  private static void write(XYChart chart, Path png) {
    try {
      BitmapEncoder.saveBitmap(chart, png.toString().replaceAll("(?i)\\.png$", ""), BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }
}
