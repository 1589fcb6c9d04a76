// "1 config file", "2 config files": the one place that chooses between the two.

const IRREGULAR: Readonly<Record<string, string>> = { index: 'indices', entry: 'entries', copy: 'copies', query: 'queries' };

/** The noun's form for `count`: the singular for exactly 1, the plural otherwise (0 included). */
export function plural(count: number, singular: string): string {
  if (count === 1) return singular;
  const words = singular.split(' ');
  const last = words.pop()!;
  const many = IRREGULAR[last] ?? (/(s|x|ch|sh)$/.test(last) ? `${last}es` : `${last}s`);
  return [...words, many].join(' ');
}

/** "1 config file", "34 indices". */
export function count(amount: number, singular: string): string {
  return `${amount} ${plural(amount, singular)}`;
}
