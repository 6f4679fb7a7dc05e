package org.fewstep.core;

/**
 * Bad input from the caller: a wrong option, shape, file or value, or a model that returned
 * NaN/Inf. The message names the parameter, the value and what was expected. The CLI maps this
 * exception to exit code 2 and the server to HTTP 400; every other exception is a defect of fewstep.
 */
public class BadInputException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }

  /** {@code "<parameter> = <value>: expected <expected>"}. */
  public static BadInputException of(String parameter, Object value, String expected) {
    return new BadInputException(parameter + " = " + value + ": expected " + expected);
  }

  /** Requires {@code value >= min}. */
  public static int requireAtLeast(String parameter, int value, int min) {
    if (value < min) {
      throw of(parameter, value, "an integer >= " + min);
    }
    return value;
  }

  /** Requires a finite {@code value > 0}. */
  public static double requirePositive(String parameter, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw of(parameter, value, "a finite number > 0");
    }
    return value;
  }

  /** Requires a finite value. */
  public static double requireFinite(String parameter, double value) {
    if (!Double.isFinite(value)) {
      throw of(parameter, value, "a finite number");
    }
    return value;
  }
}
