/**
 * docs/features.md, generated from the feature registry (`habitat extract --docs`).
 */
import { FEATURE_FAMILIES, orderedFeatures } from './registry.js';

const escapeCell = (s: string) => s.replace(/\|/g, '\\|');

export function featuresMarkdown(): string {
  const lines: string[] = [
    '# Radiomic features (PyRadiomics-compatible mode)',
    '',
    '<!-- Generated from src/core/radiomics/registry.ts by `npm run -s habitat -- extract --docs`; do not edit. -->',
    '',
    'Names, definitions and defaults follow PyRadiomics 3.1; a feature is reported as',
    '`<image type>_<class>_<feature>` (e.g. `original_glcm_Contrast`, `wavelet-LHL_glszm_ZoneEntropy`).',
    'Texture features are computed per direction and averaged unless `weightingNorm` merges the directions.',
    'ε = numpy.spacing(1) ≈ 2.2·10⁻¹⁶. IBSI codes are those of the IBSI 1 reference manual where the',
    'PyRadiomics feature has an IBSI counterpart (definitions can differ in detail, e.g. Kurtosis is not',
    'excess kurtosis); the IBSI 1 mode (`--standard ibsi`) follows IBSI exactly.',
    '',
    'Deprecated features are computed only when named in the parameter file; removed ones are listed for completeness.',
    '',
  ];
  for (const fam of FEATURE_FAMILIES) {
    lines.push(`## ${fam.title} (\`${fam.name}\`)`, '', fam.description, '', '| feature | IBSI | definition |', '|---|---|---|');
    for (const f of orderedFeatures(fam)) {
      const note = f.removed ? ' (removed)' : f.deprecated ? ' (deprecated)' : '';
      lines.push(`| \`${f.name}\`${note} | ${f.ibsi ?? '—'} | ${escapeCell(f.formula)} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
