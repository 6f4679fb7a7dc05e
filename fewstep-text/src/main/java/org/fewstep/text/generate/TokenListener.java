package org.fewstep.text.generate;

/** Streaming callback: called for every generated token, in order, as soon as it is chosen. */
@FunctionalInterface
public interface TokenListener {

  /**
   * @param sample which sample the token belongs to
   * @param choice the token and its scores
   * @param delta  the text this token completes (empty while a UTF-8 character is split across
   *               tokens; the rest arrives with the token that completes it)
   */
  void onToken(int sample, TokenChoice choice, String delta);
}
