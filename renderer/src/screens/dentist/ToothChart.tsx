// The tooth chart: one focusable button per tooth in the standard layout, each drawn as five
// surfaces coloured and patterned by status, with its procedures in words as its description.
// Arrow keys move along and between the arches; Tab reaches the chart once (roving focus).
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProcedureStatus } from '../../../../shared/domain/enums';
import type { SurfaceLetter } from '../../../../shared/domain/rules/surfaces';
import {
  formatTooth,
  type ToothId,
  type ToothNotation,
} from '../../../../shared/domain/rules/teeth';
import type { Procedure } from '../../../../shared/domain/schemas/index';
import { archRows, surfacePlaces, toothState, type ArchRow, type ToothState } from './chart-layout';

const STATUSES: readonly ProcedureStatus[] = ['planned', 'completed', 'existing', 'referred'];

/** Fills referenced by every tooth; patterns so the status is not told by colour alone. */
export function StatusPatterns() {
  return (
    <svg width="0" height="0" className="pattern-defs" aria-hidden="true" focusable="false">
      <defs>
        <pattern
          id="dent-fill-planned"
          width="6"
          height="6"
          patternUnits="userSpaceOnUse"
          patternTransform="rotate(45)"
        >
          <rect width="6" height="6" fill="#fde8e7" />
          <rect width="3" height="6" fill="#b3261e" />
        </pattern>
        <pattern id="dent-fill-completed" width="6" height="6" patternUnits="userSpaceOnUse">
          <rect width="6" height="6" fill="#0b5cad" />
        </pattern>
        <pattern id="dent-fill-existing" width="5" height="5" patternUnits="userSpaceOnUse">
          <rect width="5" height="5" fill="#e2f4e7" />
          <circle cx="2.5" cy="2.5" r="1.6" fill="#1e6b34" />
        </pattern>
        <pattern id="dent-fill-referred" width="6" height="6" patternUnits="userSpaceOnUse">
          <rect width="6" height="6" fill="#efe6f7" />
          <path d="M0 3H6M3 0V6" stroke="#5b2a86" strokeWidth="1.4" />
        </pattern>
      </defs>
    </svg>
  );
}

const fill = (status: ProcedureStatus | undefined) =>
  status ? `url(#dent-fill-${status})` : '#ffffff';

/** A tooth as five surfaces (outer trapezoids and the biting surface in the middle). */
export function ToothDiagram({ tooth, state }: { tooth: ToothId; state: ToothState }) {
  const places = surfacePlaces(tooth);
  const shape = (letter: SurfaceLetter, points: string) => (
    <polygon
      points={points}
      fill={fill(state.surfaces[letter])}
      stroke="#4f5b6a"
      strokeWidth="1"
      data-surface={letter}
      data-status={state.surfaces[letter] ?? 'none'}
    />
  );
  const ring = state.whole[0];
  return (
    <svg viewBox="0 0 40 40" className="tooth-diagram" aria-hidden="true" focusable="false">
      {ring && (
        <rect x="0.5" y="0.5" width="39" height="39" rx="4" fill={fill(ring)} data-whole={ring} />
      )}
      <g transform={ring ? 'translate(5 5) scale(0.75)' : undefined}>
        {shape(places.top, '0,0 40,0 28,12 12,12')}
        {shape(places.right, '40,0 40,40 28,28 28,12')}
        {shape(places.bottom, '0,40 40,40 28,28 12,28')}
        {shape(places.left, '0,0 12,12 12,28 0,40')}
        {shape(places.centre, '12,12 28,12 28,28 12,28')}
      </g>
      {state.removed && <path d="M3 3L37 37M37 3L3 37" stroke="#1b2430" strokeWidth="3" />}
    </svg>
  );
}

export interface ToothChartProps {
  readonly procedures: ReadonlyMap<ToothId | null, readonly Procedure[]>;
  readonly notation: ToothNotation;
  readonly showPrimary: boolean;
  readonly selected: ToothId | null;
  readonly onSelect: (tooth: ToothId) => void;
  readonly describe: (procedure: Procedure) => string;
}

export function ToothChart(props: ToothChartProps) {
  const { t } = useTranslation('dentist');
  const { procedures, notation, showPrimary, selected, onSelect, describe } = props;
  const grid = useRef<HTMLDivElement>(null);
  const permanent = archRows('permanent');
  const primary = archRows('primary');
  const rows: { key: string; label: string; row: ArchRow }[] = [
    { key: 'upper', label: t('chart.upperArch'), row: permanent.upper },
    ...(showPrimary
      ? [
          { key: 'upper-primary', label: t('chart.upperPrimary'), row: primary.upper },
          { key: 'lower-primary', label: t('chart.lowerPrimary'), row: primary.lower },
        ]
      : []),
    { key: 'lower', label: t('chart.lowerArch'), row: permanent.lower },
  ];
  const order = rows.map(({ row }) => [...row.right, ...row.left]);
  // The one tooth in the Tab order: the last one focused, else the selection, else the first.
  const [focused, setFocused] = useState<ToothId | null>(null);
  const visible = order.flat();
  const focusable: ToothId =
    focused && visible.includes(focused)
      ? focused
      : selected && visible.includes(selected)
        ? selected
        : '18';

  // Arrow keys move within a row and to the nearest tooth of the next row (a grid, roughly).
  const onKeyDown = (event: KeyboardEvent<HTMLButtonElement>, rowIndex: number, column: number) => {
    const row = order[rowIndex]!;
    let target: ToothId | undefined;
    if (event.key === 'ArrowRight') target = row[Math.min(column + 1, row.length - 1)];
    else if (event.key === 'ArrowLeft') target = row[Math.max(column - 1, 0)];
    else if (event.key === 'Home') target = row[0];
    else if (event.key === 'End') target = row[row.length - 1];
    else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const next = order[rowIndex + (event.key === 'ArrowDown' ? 1 : -1)];
      if (next) target = next[Math.round((column / (row.length - 1)) * (next.length - 1))];
    }
    if (!target) return;
    event.preventDefault();
    grid.current?.querySelector<HTMLButtonElement>(`[data-tooth="${target}"]`)?.focus();
  };

  const toothButton = (tooth: ToothId, rowIndex: number, column: number) => {
    const list = procedures.get(tooth) ?? [];
    const state = toothState(list);
    const number = formatTooth(tooth, notation);
    const summaryId = `tooth-summary-${tooth}`;
    const marks = STATUSES.filter((status) => state.whole.includes(status));
    return (
      <li key={tooth} className="tooth-cell">
        <button
          type="button"
          className={selected === tooth ? 'tooth selected' : 'tooth'}
          data-tooth={tooth}
          aria-label={t('chart.tooth', { number })}
          aria-pressed={selected === tooth}
          aria-describedby={summaryId}
          tabIndex={tooth === focusable ? 0 : -1}
          onClick={() => onSelect(tooth)}
          onFocus={() => setFocused(tooth)}
          onKeyDown={(event) => onKeyDown(event, rowIndex, column)}
        >
          <span className="tooth-number">{number}</span>
          <ToothDiagram tooth={tooth} state={state} />
          <span className="tooth-marks" aria-hidden="true">
            {marks.map((status) => t(`procedureStatusMark.${status}`)).join(' ')}
            {state.removed ? ' ✕' : ''}
          </span>
        </button>
        <span id={summaryId} hidden>
          {list.length === 0
            ? t('chart.noProcedures')
            : list.map((procedure) => describe(procedure)).join('; ')}
          {state.removed ? `; ${t('chart.extracted')}` : ''}
        </span>
      </li>
    );
  };

  return (
    <div className="tooth-chart" ref={grid}>
      <StatusPatterns />
      <div className="tooth-chart-inner">
        <div className="chart-sides" aria-hidden="true">
          <span>{t('chart.patientRight')}</span>
          <span>{t('chart.patientLeft')}</span>
        </div>
        {rows.map(({ key, label, row }, rowIndex) => (
          <div key={key} className={`arch arch-${key}`}>
            <span className="visually-hidden" id={`arch-${key}`}>
              {label}
            </span>
            <ul className="quadrant quadrant-right" aria-labelledby={`arch-${key}`}>
              {row.right.map((tooth, index) => toothButton(tooth, rowIndex, index))}
            </ul>
            <ul className="quadrant quadrant-left" aria-labelledby={`arch-${key}`}>
              {row.left.map((tooth, index) =>
                toothButton(tooth, rowIndex, row.right.length + index),
              )}
            </ul>
          </div>
        ))}
      </div>
      <Legend />
    </div>
  );
}

function Legend() {
  const { t } = useTranslation('dentist');
  return (
    <div className="chart-legend">
      <h3 className="legend-title">{t('chart.legend')}</h3>
      <ul>
        {STATUSES.map((status) => (
          <li key={status}>
            <svg viewBox="0 0 20 20" className="legend-swatch" aria-hidden="true" focusable="false">
              <rect x="0.5" y="0.5" width="19" height="19" fill={fill(status)} stroke="#4f5b6a" />
            </svg>
            <span>
              {t(`procedureStatus.${status}`)} ({t(`procedureStatusMark.${status}`)})
            </span>
          </li>
        ))}
        <li>
          <span className="legend-cross" aria-hidden="true">
            ✕
          </span>
          <span>{t('chart.extracted')}</span>
        </li>
      </ul>
    </div>
  );
}
