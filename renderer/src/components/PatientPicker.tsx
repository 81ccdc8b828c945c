// Find a patient as you type (name, phone digits or birth date), as an ARIA combobox: arrows move
// through the matches, Enter picks, Escape closes. Used wherever a patient is chosen.
import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '../../../shared/api/views';
import { useQuery } from '../api/hooks';
import { useClinic } from '../app/session';
import { formatCalendarDate } from '../i18n/format';
import { displayName } from '../../../shared/domain/rules/people';

export function PatientPicker({
  label,
  onPick,
  autoFocus = false,
}: {
  label: string;
  onPick: (patient: PatientSummary) => void;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation('patients');
  const { locale } = useClinic();
  const id = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const trimmed = text.trim();
  const { data, loading } = useQuery(
    'patients.search',
    { text: trimmed, limit: 8 },
    { skip: trimmed.length === 0 },
  );
  const matches = trimmed.length === 0 ? [] : (data?.patients ?? []);
  const listId = `${id}-list`;
  const optionId = (index: number) => `${id}-option-${index}`;

  const pick = (patient: PatientSummary) => {
    onPick(patient);
    setText(displayName(patient));
    setOpen(false);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((value) => Math.min(value + 1, Math.max(matches.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((value) => Math.max(value - 1, 0));
    } else if (event.key === 'Enter' && open && matches[active]) {
      event.preventDefault();
      pick(matches[active]);
    } else if (event.key === 'Escape' && open) {
      event.stopPropagation();
      setOpen(false);
    }
  };

  const expanded = open && trimmed.length > 0;
  return (
    <div className="picker">
      <label htmlFor={`${id}-input`}>{label}</label>
      <input
        id={`${id}-input`}
        type="search"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && matches[active] ? optionId(active) : undefined}
        value={text}
        autoFocus={autoFocus}
        onChange={(event) => {
          setText(event.target.value);
          setActive(0);
          setOpen(true);
        }}
        onKeyDown={onKeyDown}
      />
      {expanded && (
        <ul id={listId} role="listbox" className="picker-list" aria-label={label}>
          {matches.map((patient, index) => (
            <li
              key={patient.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              className={index === active ? 'picker-option active' : 'picker-option'}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => pick(patient)}
            >
              <span className="picker-name">{displayName(patient)}</span>
              <span className="picker-meta">{formatCalendarDate(patient.birthDate, locale)}</span>
              {patient.primaryPhone && <span className="picker-meta">{patient.primaryPhone}</span>}
            </li>
          ))}
          {!loading && matches.length === 0 && (
            <li className="picker-empty" role="presentation">
              {t('search.noMatches')}
            </li>
          )}
          {data?.truncated && (
            <li className="picker-empty" role="presentation">
              {t('search.typeMore')}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
