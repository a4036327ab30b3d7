/**
 * French plural forms: CLDR gives French `one`, `many` and `other`; `many` (1 000 000 and more,
 * "1 million de clés") reads like `other` in these texts, so it is written once.
 * @module
 */
import type { Plural } from '../catalogue.js';

export function plural(one: string, other: string): Plural {
  return { one, many: other, other };
}
