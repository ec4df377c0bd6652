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
const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
const SEPARATOR = 0xff;

const encoder = new TextEncoder();

function addBytes(hash: bigint, bytes: Uint8Array): bigint {
  let h = hash;
  for (const byte of bytes) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK_64;
  }
  return h;
}

function addByte(hash: bigint, byte: number): bigint {
  return ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
}

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
  let hash = FNV_OFFSET;
  for (const name of Object.keys(labels).sort(compareBytes)) {
    hash = addBytes(hash, encoder.encode(name));
    hash = addByte(hash, SEPARATOR);
    hash = addBytes(hash, encoder.encode(labels[name]));
    hash = addByte(hash, SEPARATOR);
  }
  return hash.toString(16).padStart(16, '0');
}
