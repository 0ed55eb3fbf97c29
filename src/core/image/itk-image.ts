/**
 * Conversion between itk-wasm's `Image` and the workbench `Volume`. Both use
 * the same memory layout and the same row-major direction matrix, so this only
 * checks dimensionality and copies the geometry arrays.
 */
import type { Image } from 'itk-wasm';
import type { Vec3, Volume, VoxelArray } from './volume.js';

const COMPONENT_TYPES: Record<string, string> = {
  Int8Array: 'int8',
  Uint8Array: 'uint8',
  Int16Array: 'int16',
  Uint16Array: 'uint16',
  Int32Array: 'int32',
  Uint32Array: 'uint32',
  Float32Array: 'float32',
  Float64Array: 'float64',
};

export function imageToVolume(img: Image, source: string): Volume {
  if (!img.data) throw new Error(`${source}: the image holds no voxel data`);
  if (img.imageType.components !== 1) {
    throw new Error(`${source}: ${img.imageType.components}-component (${img.imageType.pixelType}) images are not supported; give a scalar image`);
  }
  const dim = img.imageType.dimension;
  if (dim !== 2 && dim !== 3) throw new Error(`${source}: ${dim}-D images are not supported (2-D or 3-D only)`);
  // itk-wasm's Image has `dimension` entries in size, spacing and origin
  const size: Vec3 = dim === 3 ? [img.size[0]!, img.size[1]!, img.size[2]!] : [img.size[0]!, img.size[1]!, 1];
  const spacing: Vec3 = dim === 3 ? [img.spacing[0]!, img.spacing[1]!, img.spacing[2]!] : [img.spacing[0]!, img.spacing[1]!, 1];
  const origin: Vec3 = dim === 3 ? [img.origin[0]!, img.origin[1]!, img.origin[2]!] : [img.origin[0]!, img.origin[1]!, 0];
  const direction = new Float64Array(9);
  if (dim === 3) direction.set(img.direction as Float64Array);
  else {
    const d = img.direction as unknown as ArrayLike<number>;
    direction.set([d[0]!, d[1]!, 0, d[2]!, d[3]!, 0, 0, 0, 1]);
  }
  // itk-wasm writes -0 for zero direction cosines; normalise them so round trips compare equal.
  for (let n = 0; n < 9; n++) if (direction[n] === 0) direction[n] = 0;
  const data = img.data as unknown as VoxelArray;
  if (data.length !== size[0] * size[1] * size[2]) {
    throw new Error(`${source}: voxel data length ${data.length} does not match size ${size.join('×')}`);
  }
  return { size, spacing, origin, direction, data, metadata: { source } };
}

export function volumeToImage(v: Volume): Image {
  const componentType = COMPONENT_TYPES[v.data.constructor.name];
  if (!componentType) throw new Error(`volumeToImage: unsupported voxel array ${v.data.constructor.name}`);
  return {
    imageType: { dimension: 3, componentType, pixelType: 'Scalar', components: 1 },
    name: v.metadata?.source ?? 'volume',
    origin: [...v.origin],
    spacing: [...v.spacing],
    direction: Float64Array.from(v.direction),
    size: [...v.size],
    metadata: new Map(),
    data: v.data,
  } as unknown as Image;
}
