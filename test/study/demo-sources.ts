/** Demo patients as study sources (generated on load), for the study tests. */
import { generateDemoPatient, type DemoOptions } from '../../src/demo/demo.js';
import type { StudyPatientSource } from '../../src/core/study/pipeline.js';

export function demoSources(n: number, demo: DemoOptions): StudyPatientSource[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `P${String(i + 1).padStart(3, '0')}`,
    load: async () => {
      const p = generateDemoPatient(i, demo);
      return { id: p.id, series: p.series, mask: p.mask, mask2: p.mask2 };
    },
  }));
}
