/**
 * IBSI 1 processing configurations: the digital phantom rules and the CT phantom configurations
 * A–E (IBSI 1 manual, Table 5.1 / the IBSI 1 reference data README).
 */

export type Discretisation =
  | { method: 'none' }
  /** Fixed bin size w: X_d = ⌊(X − X_min)/w⌋ + 1, X_min = lower re-segmentation bound (or ROI minimum). */
  | { method: 'fbs'; binSize: number }
  /** Fixed bin number N_g: X_d = ⌊N_g (X − X_min)/(X_max − X_min)⌋ + 1, with X_max mapped to N_g. */
  | { method: 'fbn'; bins: number };

export interface IbsiResampling {
  /** New voxel spacing (mm) per axis; null keeps the axis as it is (2D in-plane interpolation). */
  spacing: [number | null, number | null, number | null];
  /** Image interpolation: (tri)linear or cubic B-spline. */
  image: 'linear' | 'cubic';
  /** Partial-volume threshold of the linearly interpolated mask. */
  maskThreshold: number;
}

export interface IbsiConfig {
  name: string;
  /** '2D': texture slice by slice (2D and 2.5D aggregations); '3D': volumetric aggregations. */
  texture: '2D' | '3D' | 'all';
  /** Round intensities to integers after loading and after interpolation (CT, IBSI 1 §2.2). */
  roundIntensities: boolean;
  resampling: IbsiResampling | null;
  /** Re-segmentation range [low, high] (inclusive); Infinity for an open end. */
  resegRange: [number, number] | null;
  /** Outlier re-segmentation: keep mean ± k·σ of the ROI (after range re-segmentation). */
  resegOutlierSigma: number | null;
  discretisation: Discretisation;
  /** Intensity–volume histogram input: discrete intensities as they are, or a discretisation. */
  ivh: Discretisation;
}

export const IBSI_DIGITAL_PHANTOM: IbsiConfig = {
  name: 'digital phantom',
  texture: 'all',
  roundIntensities: false,
  resampling: null,
  resegRange: null,
  resegOutlierSigma: null,
  discretisation: { method: 'none' },
  ivh: { method: 'none' },
};

export const IBSI_CONFIG_A: IbsiConfig = {
  name: 'config A',
  texture: '2D',
  roundIntensities: true,
  resampling: null,
  resegRange: [-500, 400],
  resegOutlierSigma: null,
  discretisation: { method: 'fbs', binSize: 25 },
  ivh: { method: 'none' },
};

export const IBSI_CONFIG_B: IbsiConfig = {
  name: 'config B',
  texture: '2D',
  roundIntensities: true,
  resampling: { spacing: [2, 2, null], image: 'linear', maskThreshold: 0.5 },
  resegRange: [-500, 400],
  resegOutlierSigma: null,
  discretisation: { method: 'fbn', bins: 32 },
  ivh: { method: 'none' },
};

export const IBSI_CONFIG_C: IbsiConfig = {
  name: 'config C',
  texture: '3D',
  roundIntensities: true,
  resampling: { spacing: [2, 2, 2], image: 'linear', maskThreshold: 0.5 },
  resegRange: [-1000, 400],
  resegOutlierSigma: null,
  discretisation: { method: 'fbs', binSize: 25 },
  ivh: { method: 'fbs', binSize: 2.5 },
};

export const IBSI_CONFIG_D: IbsiConfig = {
  name: 'config D',
  texture: '3D',
  roundIntensities: true,
  resampling: { spacing: [2, 2, 2], image: 'linear', maskThreshold: 0.5 },
  resegRange: null,
  resegOutlierSigma: 3,
  discretisation: { method: 'fbn', bins: 32 },
  ivh: { method: 'none' },
};

export const IBSI_CONFIG_E: IbsiConfig = {
  name: 'config E',
  texture: '3D',
  roundIntensities: true,
  resampling: { spacing: [2, 2, 2], image: 'cubic', maskThreshold: 0.5 },
  resegRange: [-1000, 400],
  resegOutlierSigma: 3,
  discretisation: { method: 'fbn', bins: 32 },
  ivh: { method: 'fbn', bins: 1000 },
};

/** The presets by the names of the reference tables. */
export const IBSI_CONFIGS: Record<string, IbsiConfig> = {
  digital_phantom: IBSI_DIGITAL_PHANTOM,
  config_A: IBSI_CONFIG_A,
  config_B: IBSI_CONFIG_B,
  config_C: IBSI_CONFIG_C,
  config_D: IBSI_CONFIG_D,
  config_E: IBSI_CONFIG_E,
};
