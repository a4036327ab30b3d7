/**
 * Random PINs for keys whose profile says `pin: { mode: "random" }`: every character drawn
 * independently and uniformly from the alphabet, so each of the alphabet^length PINs is equally
 * likely. node:crypto randomInt draws by rejection sampling (no modulo bias), from the operating
 * system's CSPRNG.
 * @module
 */
import { randomInt } from 'node:crypto';

/** Uniform integer in [0, max): crypto's by default; tests pass a seeded one. */
export type UniformInt = (max: number) => number;

export function randomPin(spec: { length: number; alphabet: string }, draw: UniformInt = (max) => randomInt(max)): string {
  const symbols = Array.from(spec.alphabet);
  let pin = '';
  for (let i = 0; i < spec.length; i += 1) pin += symbols[draw(symbols.length)]!;
  return pin;
}
