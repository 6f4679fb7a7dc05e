package org.fewstep.onnx.text;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import org.fewstep.onnx.OnnxSession;
import org.junit.jupiter.api.Test;

/**
 * Timing of the toy model (not part of the suite; run with -Dtest=OnnxCausalLmTiming): a raw
 * session.run decoding loop that feeds present back as past (the floor) against OnnxCausalLm.State,
 * per token over 60-token sequences; k tokens per call; truncation.
 */
class OnnxCausalLmTiming {
  static final int LEN = 60;

  @Test
  void timing() throws Exception {
    OnnxCausalLm m = ToyModels.target();
    int[] seq = OnnxCausalLmTest.randomTokens(m, LEN, 1);
    for (int round = 0; round < 3; round++) {
      int reps = round == 0 ? 50 : 300;
      long t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        raw(m, seq);
      }
      double rawUs = (System.nanoTime() - t0) / 1e3 / reps / LEN;
      t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        OnnxCausalLm.State s = m.start();
        s.append(); // the start token
        for (int t : seq) {
          s.append(t);
        }
        s.close();
      }
      double oursUs = (System.nanoTime() - t0) / 1e3 / reps / (LEN + 1);
      t0 = System.nanoTime();
      for (int r = 0; r < reps; r++) {
        OnnxCausalLm.State s = m.start();
        s.append();
        for (int i = 0; i + 4 <= LEN; i += 4) {
          s.append(seq[i], seq[i + 1], seq[i + 2], seq[i + 3]);
        }
        s.close();
      }
      double k4Us = (System.nanoTime() - t0) / 1e3 / reps / (LEN / 4);
      OnnxCausalLm.State base = m.start();
      base.append(seq);
      t0 = System.nanoTime();
      for (int r = 0; r < reps * 20; r++) {
        OnnxCausalLm.State f = base.fork();
        f.truncate(40);
        f.close();
      }
      double truncUs = (System.nanoTime() - t0) / 1e3 / (reps * 20);
      base.close();
      System.out.printf("round %d: raw session.run loop %.1f us/token; State.append(1) %.1f us/token; "
          + "append(4) %.1f us/call; truncate 60 -> 40 (slice) %.1f us%n", round, rawUs, oursUs, k4Us, truncUs);
    }
  }

  /** The floor: a plain loop over session.run, one token per call, present fed back as past. */
  static void raw(OnnxCausalLm m, int[] seq) throws Exception {
    OrtEnvironment env = m.session().env();
    OrtSession session = m.session().session();
    int layers = m.layout().layers();
    Map<String, OnnxTensor> past = new HashMap<>();
    for (int l = 0; l < layers; l++) {
      for (String kv : new String[] {"key", "value"}) {
        past.put("past_key_values." + l + "." + kv, OnnxTensor.createTensor(env,
            ByteBuffer.allocateDirect(0).order(ByteOrder.nativeOrder()).asFloatBuffer(), new long[] {1, 2, 0, 16}));
      }
    }
    for (int i = 0; i <= seq.length; i++) {
      int token = i == 0 ? m.bos() : seq[i - 1];
      Map<String, OnnxTensor> in = new HashMap<>(past);
      var ids = OnnxSession.longs(1);
      ids.put(0, token);
      var mask = OnnxSession.longs(i + 1);
      for (int j = 0; j <= i; j++) {
        mask.put(j, 1);
      }
      var pos = OnnxSession.longs(1);
      pos.put(0, i);
      OnnxTensor a = OnnxTensor.createTensor(env, ids, new long[] {1, 1});
      OnnxTensor b = OnnxTensor.createTensor(env, mask, new long[] {1, i + 1});
      OnnxTensor c = OnnxTensor.createTensor(env, pos, new long[] {1, 1});
      in.put("input_ids", a);
      in.put("attention_mask", b);
      in.put("position_ids", c);
      OrtSession.Result result = session.run(in);
      a.close();
      b.close();
      c.close();
      past.values().forEach(OnnxTensor::close);
      past.clear();
      for (Map.Entry<String, OnnxValue> e : result) {
        if (e.getKey().equals("logits")) {
          FloatBuffer f = ((OnnxTensor) e.getValue()).getFloatBuffer();
          f.get(new float[f.remaining()]);
          e.getValue().close();
        } else {
          past.put(e.getKey().replace("present", "past_key_values"), (OnnxTensor) e.getValue());
        }
      }
    }
    past.values().forEach(OnnxTensor::close);
  }
}
