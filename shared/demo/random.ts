// Seeded randomness for the demo clinic. The schedule, families and ledger draw from this small,
// fast generator (sfc32) rather than from Faker, so their shape stays the same for a seed even
// if a Faker upgrade changes its name lists; Faker is used only for names and addresses.
import { v7 as uuidv7 } from 'uuid';

/** Four 32-bit words from any text (cyrb128), to seed sfc32 from "seed:stream" labels. */
function hashToWords(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A deterministic random stream; the same label always gives the same sequence. */
export class DemoRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(label: string) {
    [this.a, this.b, this.c, this.d] = hashToWords(label);
    for (let i = 0; i < 16; i++) this.uint32();
  }

  /** A 32-bit unsigned integer (sfc32). */
  uint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.uint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty list');
    return items[Math.floor(this.float() * items.length)]!;
  }

  /** One of `choices`, each as likely as its weight. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of choices) total += weight;
    let roll = this.float() * total;
    for (const [value, weight] of choices) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return choices[choices.length - 1]![0];
  }
}

/**
 * Makes UUIDv7 ids from the demo timeline: the time part is when the record was created in the
 * story (not when the generator ran), the sequence field is a running counter, so ids can never
 * repeat within a clinic, and the remaining bits come from the seeded stream.
 */
export class DemoIdFactory {
  private readonly random: DemoRandom;
  private readonly bytes = new Uint8Array(16);
  private sequence = 0;

  constructor(label: string) {
    this.random = new DemoRandom(label);
  }

  next(msecs: number): string {
    for (let i = 0; i < 16; i += 4) {
      const word = this.random.uint32();
      this.bytes[i] = word & 0xff;
      this.bytes[i + 1] = (word >>> 8) & 0xff;
      this.bytes[i + 2] = (word >>> 16) & 0xff;
      this.bytes[i + 3] = word >>> 24;
    }
    const seq = this.sequence;
    this.sequence = (this.sequence + 1) >>> 0;
    return uuidv7({ msecs: Math.floor(msecs), seq, random: this.bytes });
  }
}
