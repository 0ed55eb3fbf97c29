/**
 * The feature registry: PyRadiomics' feature counts per class, IBSI codes well
 * formed, and docs/features.md generated from it (so it cannot drift).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { featuresMarkdown } from '../../src/core/radiomics/features-doc.js';
import { FEATURE_FAMILIES, listFeatures } from '../../src/core/radiomics/registry.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('feature registry', () => {
  it("has PyRadiomics' non-deprecated feature counts per class", () => {
    const counts = Object.fromEntries(FEATURE_FAMILIES.map((f) => [f.name, f.features.filter((d) => !d.deprecated).length]));
    expect(counts).toEqual({ firstorder: 18, glcm: 24, gldm: 14, glrlm: 16, glszm: 16, ngtdm: 5, shape: 14, shape2D: 9 });
  });

  it('names are unique per class and IBSI codes are four characters', () => {
    for (const f of FEATURE_FAMILIES) expect(new Set(f.features.map((d) => d.name)).size).toBe(f.features.length);
    for (const f of listFeatures()) if (f.ibsi) expect(f.ibsi).toMatch(/^[0-9A-Z]{4}$/);
  });

  it('docs/features.md is the generated reference', () => {
    expect(readFileSync(path.join(root, 'docs', 'features.md'), 'utf8')).toBe(featuresMarkdown());
  });
});
