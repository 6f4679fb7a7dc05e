"""Writes the NumPy fixture files used by NpyTest (run from the fewstep-core folder).

    python3 src/test/python/make_npy_fixtures.py
    cd src/test/resources/npy && gzip -kf f8_2x3.npy && gzip -f f4_arange8200.npy

Every file is written by numpy itself (np.save or np.lib.format.write_array), so the tests compare
fewstep's reader and writer against the reference implementation of the format.
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "npy")


def save(name, array):
    np.save(os.path.join(OUT, name), array)


save("f8_2x3.npy", np.arange(6, dtype="<f8").reshape(2, 3))
save("f4_2x3.npy", np.arange(6, dtype="<f4").reshape(2, 3))
save("f8_6.npy", np.arange(6, dtype="<f8") * 0.1)          # 1-D shape text "(6,)", inexact values
save("f4_4.npy", np.array([0.5, -1.25, 0.1, 3.0e38], dtype="<f4"))
save("f8be_2x2.npy", np.array([[1.5, -2.0], [3.25, 1.0e300]], dtype=">f8"))
fortran = np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4))
assert fortran.flags.f_contiguous and not fortran.flags.c_contiguous
save("f8_fortran_2x3x4.npy", fortran)
save("u1_3x2.npy", np.array([[0, 1], [127, 128], [254, 255]], dtype="u1"))
save("i8_5.npy", np.array([-(2 ** 62), -1, 0, 1, 2 ** 53], dtype="<i8"))
save("u8_3.npy", np.array([0, 2 ** 63, 2 ** 64 - 1], dtype="<u8"))
save("i2be_3.npy", np.array([-32768, -2, 32767], dtype=">i2"))
save("b1_3.npy", np.array([True, False, True]))
save("f8_scalar.npy", np.array(3.5, dtype="<f8"))
save("f8_0x3.npy", np.zeros((0, 3), dtype="<f8"))
save("c16_2.npy", np.array([1 + 2j, 3 - 4j], dtype="<c16"))
# 8200 float32 values: more than the writer's 8192-element buffer
save("f4_arange8200.npy", np.arange(8200, dtype="<f4") - 4100.25)
with open(os.path.join(OUT, "f8_2x3_v2.npy"), "wb") as f:
    np.lib.format.write_array(f, np.arange(6, dtype="<f8").reshape(2, 3), version=(2, 0))
