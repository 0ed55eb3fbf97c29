import { describe, it, expect } from 'vitest';
import { fileVoxelFromRas } from '../../src/ui/viewer/voxel-index.js';

describe('fileVoxelFromRas: NiiVue RAS-reoriented voxel → voxel of the file', () => {
  it('is the identity for a file already in RAS order', () => {
    expect(fileVoxelFromRas([3, 4, 5], [1, 2, 3], [10, 20, 30])).toEqual([3, 4, 5]);
  });

  it('undoes a flipped first axis (an LPS-ordered file such as PyRadiomics brain1)', () => {
    // brain1: NiiVue showed RAS voxel 117 where ITK index i is 138 (256 columns).
    expect(fileVoxelFromRas([117, 128, 8], [-1, 2, 3], [256, 256, 25])).toEqual([138, 128, 8]);
  });

  it('undoes a permutation with flips (a sagittally acquired file)', () => {
    // RAS x is file axis 3 flipped, RAS y is file axis 1, RAS z is file axis 2 flipped.
    expect(fileVoxelFromRas([2, 7, 1], [-3, 1, -2], [8, 6, 4])).toEqual([7, 6 - 1 - 1, 4 - 1 - 2]);
  });

  it('refuses a permRAS that is not a signed permutation of the axes', () => {
    expect(() => fileVoxelFromRas([1, 1, 1], [1, 1, 3], [4, 4, 4])).toThrow(/not a signed permutation/);
    expect(() => fileVoxelFromRas([1, 1, 1], [1, 2], [4, 4, 4])).toThrow(/not a signed permutation/);
  });
});
