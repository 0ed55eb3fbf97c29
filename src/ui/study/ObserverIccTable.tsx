/** The ICC filter as the study applied it: each feature's ICC between the two observers' VOIs, kept or dropped (computed in the study runner worker, core observer-icc.ts). */
import type { ObserverIccTable as Table } from '../../core/index.js';

export function ObserverIccTable({ table }: { table: Table }) {
  const dropped = table.rows.filter((r) => !r.kept).length;
  const rowsLabel = `${table.rows.length} features`;
  return (
    <details className="observer-icc" data-testid="observer-icc" data-patients={table.patients.join(',')}>
      <summary>
        Observer agreement: ICC({table.type}) over {table.patients.length} patient{table.patients.length === 1 ? '' : 's'} with two VOIs ·{' '}
        {table.applied
          ? `the ICC filter (ICC > ${table.threshold}) drops ${dropped} of ${rowsLabel}`
          : `not applied (at least 5 patients with a second VOI are needed); every feature is kept`}
      </summary>
      {table.rows.length > 0 && (
        <div className="table-wrap">
          <table aria-label="Feature ICC between observers">
            <thead>
              <tr>
                <th>Region</th>
                <th>Feature</th>
                <th>ICC</th>
                <th>Filter</th>
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r) => (
                <tr key={`${r.region}|${r.feature}`} className={r.kept ? undefined : 'dropped'} data-region={r.region} data-feature={r.feature}>
                  <td>{r.region.replace('|', ' ')}</td>
                  <td>{r.feature}</td>
                  <td data-icc={r.icc === null ? '' : String(r.icc)}>{r.icc === null ? '—' : r.icc.toFixed(4)}</td>
                  <td>{r.kept ? 'kept' : 'dropped'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}
