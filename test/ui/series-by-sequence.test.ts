import { describe, it, expect } from 'vitest';
import { seriesBySequence } from '../../src/ui/study/series-by-sequence.js';

describe("seriesBySequence: a patient's series per study sequence", () => {
  it("pairs each sequence with its series in the sequences' order and lists the missing ones", () => {
    const series = [{ name: 'T2WI', k: 1 }, { name: 'ADC', k: 2 }, { name: 'CE-T1WI', k: 3 }];
    expect(seriesBySequence(series, ['CE-T1WI', 'DWI', 'T2WI', 'FLAIR'])).toEqual({
      found: [
        ['CE-T1WI', { name: 'CE-T1WI', k: 3 }],
        ['T2WI', { name: 'T2WI', k: 1 }],
      ],
      missing: ['DWI', 'FLAIR'],
    });
    expect(seriesBySequence([], [])).toEqual({ found: [], missing: [] });
  });
});
