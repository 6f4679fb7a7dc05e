"""Independent reference for RngTest: SplitMix64 seeding + xoshiro256** (Blackman and Vigna, 2018).

Written from the published algorithm with Python integers masked to 64 bits (no code shared with
Rng.java). Check: mix64(golden gamma) = 0xe220a8397b1dcdaf, the well-known first SplitMix64 output for
seed 0. Run `python3 xoshiro_reference.py` to print the literals pasted into RngTest.
"""
M = (1 << 64) - 1
GAMMA = 0x9E3779B97F4A7C15
def mix64(z):
    z &= M
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M
    return z ^ (z >> 31)
def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M
assert mix64(GAMMA) == 0xE220A8397B1DCDAF


class X:
    def __init__(self, seed):
        z = seed & M
        self.s = []
        for _ in range(4):
            z = (z + GAMMA) & M
            self.s.append(mix64(z))
    def next(self):
        s = self.s
        r = (rotl((s[1] * 5) & M, 7) * 9) & M
        t = (s[1] << 17) & M
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        return r

if __name__ == "__main__":
    # published xoshiro256** vector for the raw state {1, 2, 3, 4} (also in rand_xoshiro's tests)
    x = X(0)
    x.s = [1, 2, 3, 4]
    assert [x.next() for _ in range(4)] == [11520, 0, 1509978240, 1215971899390074240]
    for seed in (0, 42, -1):
        x = X(seed)
        print("seed", seed, [hex(x.next()) + "L" for _ in range(5)])

    def stream_seed(seed, index):  # Rng.stream's documented derivation of the child seed
        return mix64(mix64(seed) ^ mix64((index + 0x632BE59BD9B4E019) & M))

    x = X(stream_seed(7, 3))
    print("stream(7, 3)", [hex(x.next()) + "L" for _ in range(3)])
    x = X(42)
    print("nextDouble seed 42", [(x.next() >> 11) * 2.0 ** -53 for _ in range(3)])

    def next_int(rng, bound):  # 63 random bits, rejection of the incomplete last block
        while True:
            bits = rng.next() >> 1
            value = bits % bound
            if bits - value + bound - 1 < 2 ** 63:
                return value

    x = X(2025)
    print("nextInt(7) seed 2025", [next_int(x, 7) for _ in range(12)])
    x = X(2025)
    print("nextInt(1000000007) seed 2025", [next_int(x, 1000000007) for _ in range(4)])

    import math

    def gaussian_pair(rng):  # Box-Muller: (r cos, r sin) with u1 in (0, 1]
        u1 = 1.0 - (rng.next() >> 11) * 2.0 ** -53
        u2 = (rng.next() >> 11) * 2.0 ** -53
        r = math.sqrt(-2.0 * math.log(u1))
        return [r * math.cos(2.0 * math.pi * u2), r * math.sin(2.0 * math.pi * u2)]

    x = X(42)
    print("nextGaussian seed 42", [repr(v) for v in gaussian_pair(x) + gaussian_pair(x)])
