/**
 * Alert fingerprints, computed exactly as Prometheus and Alertmanager do (`model.LabelSet.Fingerprint`),
 * so that an alert whose sender left the fingerprint out gets the same key Alertmanager would give it:
 *
 *   FNV-1a 64-bit over, for each label name in byte-wise sorted order:
 *     name bytes (UTF-8), 0xFF, value bytes (UTF-8), 0xFF
 *   written as 16 lower-case hex digits.
 *
 * An empty label set hashes to the FNV offset basis (Alertmanager never sends one; we reject it).
 */
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

/**
 * The 64-bit hash as four 16-bit limbs, least significant first. Plain numbers, not BigInt: a BigInt
 * per byte made a 300 KB label value (refused later, but hashed first) cost tens of milliseconds of
 * CPU; this is the same arithmetic (checked against the BigInt form in tests/incidents/logic.test.ts).
 */
type Hash = [number, number, number, number];
/** FNV-1a's 64-bit offset basis, 0xcbf29ce484222325. */
const fnvOffset = (): Hash => [0x2325, 0x8422, 0x9ce4, 0xcbf2];

/** h = (h ^ byte) * 0x100000001b3 mod 2^64; the prime is 2^40 + 0x1b3. */
function addByte(h: Hash, byte: number): void {
  const h0 = h[0] ^ byte;
  const h1 = h[1];
  let t0 = h0 * 0x1b3;
  let t1 = h1 * 0x1b3 + (t0 >>> 16);
  let t2 = h[2] * 0x1b3 + (h0 << 8) + (t1 >>> 16);
  const t3 = h[3] * 0x1b3 + (h1 << 8) + (t2 >>> 16);
  t0 &= 0xffff;
  t1 &= 0xffff;
  t2 &= 0xffff;
  h[0] = t0;
  h[1] = t1;
  h[2] = t2;
  h[3] = t3 & 0xffff;
}

function addBytes(h: Hash, bytes: Uint8Array): void {
  for (const byte of bytes) {
    addByte(h, byte);
  }
}

const hex = (h: Hash) =>
  h
    .map((limb) => limb.toString(16).padStart(4, '0'))
    .reverse()
    .join('');

/** Byte-wise comparison of UTF-8 strings, as Go's sort of strings does. */
function compareBytes(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i += 1) {
    if (x[i] !== y[i]) {
      return x[i] - y[i];
    }
  }
  return x.length - y.length;
}

export function labelFingerprint(labels: Readonly<Record<string, string>>): string {
  const hash = fnvOffset();
  for (const name of Object.keys(labels).sort(compareBytes)) {
    addBytes(hash, encoder.encode(name));
    addByte(hash, SEPARATOR);
    addBytes(hash, encoder.encode(labels[name]));
    addByte(hash, SEPARATOR);
  }
  return hex(hash);
}
