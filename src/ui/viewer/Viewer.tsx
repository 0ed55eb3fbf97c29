/**
 * NiiVue view of the selected series with its VOI as an overlay. NiiVue gets
 * NIfTI bytes written by the worker; it does the rendering and reports the
 * voxel under the crosshair (onLocationChange), which feeds the readout.
 */
import { useEffect, useRef, useState } from 'react';
import { MULTIPLANAR_TYPE, Niivue, NVImage } from '@niivue/niivue';
import { useApp, type CursorReadout, type SliceView } from '../store.js';
import { fileVoxelFromRas } from './voxel-index.js';
import { HABITAT_COLOURS, habitatCss } from '../study/habitat-overlay.js';
import { useDrawingShortcuts } from './voi-draw-ops.js';
import { markShown, useVoiEditor } from './voi-edit.js';
import { useVoiEditing } from './use-voi-editing.js';

interface NiiVueLocationValue {
  value: number;
  vox: ArrayLike<number>;
}
/** What NiiVue passes to onLocationChange (its positions are typed arrays). */
interface NiiVueLocation {
  mm: ArrayLike<number>;
  values: NiiVueLocationValue[];
}

function isLocation(x: unknown): x is NiiVueLocation {
  if (typeof x !== 'object' || x === null) return false;
  const loc = x as Partial<NiiVueLocation>;
  return loc.mm !== undefined && typeof loc.mm.length === 'number' && Array.isArray(loc.values);
}

/** The first three components of a NiiVue position, or null when it has fewer. */
function vec3(p: ArrayLike<number>): [number, number, number] | null {
  const x = p[0];
  const y = p[1];
  const z = p[2];
  return x === undefined || y === undefined || z === undefined ? null : [x, y, z];
}

function sliceType(nv: Niivue, view: SliceView) {
  switch (view) {
    case 'axial':
      return nv.sliceTypeAxial;
    case 'coronal':
      return nv.sliceTypeCoronal;
    case 'sagittal':
      return nv.sliceTypeSagittal;
    case 'render':
      return nv.sliceTypeRender;
    default:
      return nv.sliceTypeMultiplanar;
  }
}

export function Viewer() {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const nvRef = useRef<Niivue | null>(null);
  const [ready, setReady] = useState(false);
  const image = useApp((s) => s.image);
  const mask = useApp((s) => s.mask);
  const habitat = useApp((s) => s.habitat);
  const view = useApp((s) => s.view);
  const setCursor = useApp((s) => s.setCursor);
  const loading = useApp((s) => s.loading);
  const selectedFailed = useApp((s) => (s.selectedSeriesKey ? s.failed[s.selectedSeriesKey] : undefined));

  useEffect(() => {
    const canvas = canvasRef.current;
    // One NiiVue per page, kept across React StrictMode's double effect run.
    if (!canvas || nvRef.current) return;
    const nv = new Niivue({
      backColor: [0.04, 0.05, 0.07, 1],
      crosshairColor: [0.2, 0.8, 1, 0.8],
      // A thin line whatever the voxel size (the default is one voxel wide).
      crosshairWidthUnit: 'percent',
      crosshairWidth: 0.25,
      show3Dcrosshair: true,
      // 2 × 2 tiles (axial, coronal, sagittal, 3D) use the viewer's area best for thick-sliced MRI.
      multiplanarLayout: MULTIPLANAR_TYPE.GRID,
      isOrientCube: false,
      logLevel: 'warn',
      loadingText: '',
    });
    nvRef.current = nv;
    nv.onLocationChange = (loc: unknown) => {
      if (!isLocation(loc)) return;
      const [img, msk] = loc.values;
      const mm = vec3(loc.mm);
      const vox = img && vec3(img.vox);
      const shown = useApp.getState().image;
      const back = nv.volumes[0];
      if (!img || !mm || !vox || !shown || !back?.permRAS) return;
      // NiiVue reports RAS millimetres; the workbench speaks LPS as ITK does.
      const lps: [number, number, number] = [-mm[0], -mm[1], mm[2]];
      const readout: CursorReadout = {
        voxel: fileVoxelFromRas(vox, back.permRAS, shown.summary.size),
        lps,
        intensity: Number.isFinite(img.value) ? img.value : null,
        maskValue: msk && Number.isFinite(msk.value) ? msk.value : null,
      };
      setCursor(readout);
    };
    nv.attachToCanvas(canvas)
      .then(() => setReady(true))
      .catch((e: unknown) => useApp.getState().addMessage('error', `viewer: WebGL2 is not available (${e instanceof Error ? e.message : String(e)})`));
  }, [setCursor]);

  // (Re)load the volumes when the displayed series changes.
  useEffect(() => {
    const nv = nvRef.current;
    if (!ready || !nv) return;
    let cancelled = false;
    const load = async () => {
      for (const v of [...nv.volumes].reverse()) nv.removeVolume(v);
      if (!image) {
        nv.drawScene();
        return;
      }
      const back = await NVImage.loadFromUrl({ url: `${image.name}.nii`, name: `${image.name}.nii`, buffer: image.nifti.slice(0), colormap: 'gray' });
      if (cancelled) return;
      nv.addVolume(back);
      if (mask) {
        const { overlayColormap, overlayOpacity, overlayVisible } = useApp.getState().view;
        const over = await NVImage.loadFromUrl({
          url: `${mask.name}.nii`,
          name: `${mask.name}.nii`,
          buffer: mask.nifti.slice(0),
          colormap: overlayColormap,
          opacity: overlayVisible ? overlayOpacity : 0,
          // Label 0 (outside the VOI) stays transparent; label 1 and above take the full colour.
          cal_min: 0.5,
          cal_max: 1,
        });
        if (cancelled) return;
        nv.addVolume(over);
        if (habitat) {
          const hab = await NVImage.loadFromUrl({ url: `${habitat.name}.nii`, name: `${habitat.name}.nii`, buffer: habitat.nifti.slice(0), opacity: 0.7 });
          if (cancelled) return;
          // Discrete label colours: 0 transparent, habitat h in HABITAT_COLOURS[h − 1].
          const labels = [0, ...HABITAT_COLOURS.map((_, h) => h + 1)];
          hab.setColormapLabel({
            R: [0, ...HABITAT_COLOURS.map((c) => c[0])],
            G: [0, ...HABITAT_COLOURS.map((c) => c[1])],
            B: [0, ...HABITAT_COLOURS.map((c) => c[2])],
            A: [0, ...HABITAT_COLOURS.map(() => 255)],
            I: labels,
            labels: labels.map((h) => (h === 0 ? '' : `Hab${h}`)),
          });
          nv.addVolume(hab);
        }
      }
      nv.setSliceType(sliceType(nv, useApp.getState().view.sliceView));
      nv.createOnLocationChange();
      markShown(image, mask);
    };
    load().catch((e: unknown) => {
      useApp.getState().addMessage('error', `viewer: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    });
    return () => {
      cancelled = true;
      markShown(null, null);
    };
  }, [ready, image, mask, habitat]);

  // VOI correction: the VOI in NiiVue's drawing layer while the user edits it.
  useVoiEditing(nvRef, ready);
  useDrawingShortcuts();
  // The habitat overlay is hidden while a VOI is drawn.
  const drawing = useVoiEditor((s) => s.session !== null);

  useEffect(() => {
    const nv = nvRef.current;
    if (!ready || !nv) return;
    nv.setSliceType(sliceType(nv, view.sliceView));
  }, [ready, view.sliceView]);

  useEffect(() => {
    const nv = nvRef.current;
    const overlay = nv?.volumes[1];
    if (!ready || !nv || !overlay) return;
    if (overlay.colormap !== view.overlayColormap) nv.setColormap(overlay.id, view.overlayColormap);
    nv.setOpacity(1, view.overlayVisible ? view.overlayOpacity : 0);
  }, [ready, view.overlayColormap, view.overlayOpacity, view.overlayVisible, mask]);

  return (
    <div className="viewer">
      <canvas ref={canvasRef} aria-label="Image viewer" data-testid="viewer-canvas" />
      {loading ? (
        <div className="viewer-empty" role="status">
          Reading {loading}…
        </div>
      ) : !image ? (
        <div className="viewer-empty">
          {selectedFailed ? 'This series could not be read (see the message above).' : 'Drop a cohort folder or image files here, use “Open files”, or try “Load demo cohort”.'}
        </div>
      ) : null}
      {habitat?.labelCounts && image && !drawing && (
        <ul className="habitat-legend" aria-label="Habitats" data-testid="habitat-legend">
          {habitat.labelCounts.map((n, i) => (
            <li key={i}>
              <span className="swatch" style={{ background: habitatCss(i + 1) }} />
              Hab{i + 1} <span className="muted">{n} voxels</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
