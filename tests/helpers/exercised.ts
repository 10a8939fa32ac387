import { expect } from 'vitest';

/**
 * For a property test: says what its runs exercised, and fails unless each
 * thing it claims to test was met at least its floor of times, so the
 * property cannot pass by comparing nothing with nothing.
 */
export function expectExercised<K extends string>(
  name: string,
  seen: Record<K, number>,
  floors: Partial<Record<K, readonly [floor: number, what: string]>>,
): void {
  console.log(`${name}: ${JSON.stringify(seen)}`);
  for (const key of Object.keys(floors) as K[]) {
    const [floor, what] = floors[key]!;
    expect(seen[key], what).toBeGreaterThanOrEqual(floor);
  }
}
