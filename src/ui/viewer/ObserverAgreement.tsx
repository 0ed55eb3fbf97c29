/** Dice and volume difference between the two observers' VOIs of the selected patient (computed by the image-reader worker). */
import { useEffect, useState } from 'react';
import type { MaskAgreement } from '../../core/index.js';
import { imageReader } from '../reader-client.js';
import { observerVoi, useApp } from '../store.js';

export function ObserverAgreement() {
  const patient = useApp((s) => s.patients.find((p) => p.id === s.selectedPatientId));
  const first = patient ? observerVoi(patient, 1) : undefined;
  const second = patient ? observerVoi(patient, 2) : undefined;
  const [result, setResult] = useState<{ key: string; agreement: MaskAgreement | null; message?: string } | null>(null);
  const key = first && second ? `${first.key}|${second.key}` : null;

  useEffect(() => {
    if (!first || !second || !key) return;
    let cancelled = false;
    void imageReader()
      .agreement({ key: first.key, label: first.label, source: first.source }, { key: second.key, label: second.label, source: second.source })
      .then((r) => {
        if (!cancelled) setResult(r.ok ? { key, agreement: r.agreement } : { key, agreement: null, message: r.message });
      });
    return () => {
      cancelled = true;
    };
    // The items are identified by their keys.
  }, [key]);

  if (!key || result?.key !== key) return null;
  if (!result.agreement) return <span className="muted" data-testid="observer-agreement">Observers: {result.message}</span>;
  const a = result.agreement;
  const diff = a.volumeDifferencePct === null ? '' : ` (${a.volumeDifferencePct >= 0 ? '+' : ''}${a.volumeDifferencePct.toFixed(1)} %)`;
  return (
    <span data-testid="observer-agreement" title="Dice overlap of the two observers' VOIs and their volumes (observer 1 vs 2)">
      Observers: Dice {a.dice.toFixed(3)} · {a.volumeA.toFixed(2)} vs {a.volumeB.toFixed(2)} mL{diff}
    </span>
  );
}
