// Register or edit a patient. The core validates (one set of rules, in shared/domain); a refused
// save keeps every typed value and shows each issue beside its field, and Cancel asks before
// throwing edits away.
import { useEffect, useMemo, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation } from 'wouter';
import type { PatientChanges, PatientDraft } from '../../../../shared/api/contract';
import type { ApiError } from '../../../../shared/api/protocol';
import {
  PATIENT_STATUSES,
  PHONE_KINDS,
  SEXES,
  type PatientStatus,
  type PhoneKind,
  type Sex,
} from '../../../../shared/domain/enums';
import { displayName } from '../../../../shared/domain/rules/people';
import type { Patient } from '../../../../shared/domain/schemas/index';
import { useCommand, useQuery } from '../../api/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';

const RELATIONSHIPS = ['self', 'spouse', 'child', 'other'] as const;
type Relationship = (typeof RELATIONSHIPS)[number];

interface PhoneRow {
  kind: PhoneKind;
  number: string;
}

interface InsuranceRow {
  carrier: string;
  memberId: string;
  groupNumber: string;
  subscriberName: string;
  relationship: Relationship;
}

/** The form as typed: text everywhere, so nothing is lost or reformatted while editing. */
export interface PatientFormValues {
  firstName: string;
  lastName: string;
  preferredName: string;
  birthDate: string;
  sex: Sex | '';
  status: PatientStatus;
  nationalId: string;
  phones: PhoneRow[];
  email: string;
  line1: string;
  line2: string;
  city: string;
  region: string;
  postalCode: string;
  country: string;
  allergies: string;
  medicalAlerts: string;
  insurance: InsuranceRow[];
}

const EMPTY_VALUES: PatientFormValues = {
  firstName: '',
  lastName: '',
  preferredName: '',
  birthDate: '',
  sex: '',
  status: 'active',
  nationalId: '',
  phones: [{ kind: 'mobile', number: '' }],
  email: '',
  line1: '',
  line2: '',
  city: '',
  region: '',
  postalCode: '',
  country: '',
  allergies: '',
  medicalAlerts: '',
  insurance: [],
};

const ADDRESS_FIELDS = ['line1', 'line2', 'city', 'region', 'postalCode', 'country'] as const;

export function valuesFromPatient(patient: Patient): PatientFormValues {
  return {
    firstName: patient.firstName,
    lastName: patient.lastName,
    preferredName: patient.preferredName ?? '',
    birthDate: patient.birthDate,
    sex: patient.sex,
    status: patient.status,
    nationalId: patient.nationalId ?? '',
    phones: patient.phones.map((phone) => ({ kind: phone.kind, number: phone.number })),
    email: patient.email ?? '',
    line1: patient.address?.line1 ?? '',
    line2: patient.address?.line2 ?? '',
    city: patient.address?.city ?? '',
    region: patient.address?.region ?? '',
    postalCode: patient.address?.postalCode ?? '',
    country: patient.address?.country ?? '',
    allergies: patient.allergies.join('\n'),
    medicalAlerts: patient.medicalAlerts.join('\n'),
    insurance: patient.insurance.map((plan) => ({
      carrier: plan.carrier,
      memberId: plan.memberId,
      groupNumber: plan.groupNumber ?? '',
      subscriberName: plan.subscriberName ?? '',
      relationship: plan.relationship,
    })),
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');

interface Built {
  /** The draft's fields; optional ones left empty are absent. */
  readonly fields: Record<string, unknown>;
  /** Position in the draft's `phones` → row of the form (blank rows are left out). */
  readonly phoneRows: readonly number[];
  readonly insuranceRows: readonly number[];
}

/** The document fields from what was typed: trimmed, blank rows and blank optionals dropped. */
export function buildPatientFields(values: PatientFormValues): Built {
  const fields: Record<string, unknown> = {
    firstName: values.firstName.trim(),
    lastName: values.lastName.trim(),
    status: values.status,
    allergies: lines(values.allergies),
    medicalAlerts: lines(values.medicalAlerts),
  };
  // Left out when blank so the core answers "... is required" rather than "must be a date".
  if (values.birthDate !== '') fields.birthDate = values.birthDate;
  if (values.sex !== '') fields.sex = values.sex;
  if (values.preferredName.trim()) fields.preferredName = values.preferredName.trim();
  if (values.nationalId.trim()) fields.nationalId = values.nationalId.trim();
  if (values.email.trim()) fields.email = values.email.trim();
  const phoneRows = values.phones.flatMap((phone, row) => (phone.number.trim() ? [row] : []));
  fields.phones = phoneRows.map((row) => ({
    kind: values.phones[row]!.kind,
    number: values.phones[row]!.number.trim(),
  }));
  const insuranceRows = values.insurance.flatMap((plan, row) =>
    Object.entries(plan).some(([key, value]) => key !== 'relationship' && value.trim())
      ? [row]
      : [],
  );
  fields.insurance = insuranceRows.map((row) => {
    const plan = values.insurance[row]!;
    return {
      carrier: plan.carrier.trim(),
      memberId: plan.memberId.trim(),
      relationship: plan.relationship,
      ...(plan.groupNumber.trim() ? { groupNumber: plan.groupNumber.trim() } : {}),
      ...(plan.subscriberName.trim() ? { subscriberName: plan.subscriberName.trim() } : {}),
    };
  });
  const address: Record<string, string> = {};
  for (const key of ADDRESS_FIELDS) {
    const value = key === 'country' ? values[key].trim().toUpperCase() : values[key].trim();
    if (value) address[key] = value;
  }
  if (Object.keys(address).length > 0) fields.address = address;
  return { fields, phoneRows, insuranceRows };
}

/** Optional fields an edit may clear: sent as null, which the core reads as "remove". */
const CLEARABLE = ['preferredName', 'nationalId', 'email', 'address'] as const;

export function NewPatient() {
  const [, navigate] = useLocation();
  const create = useCommand('patients.create');
  return (
    <PatientForm
      mode="new"
      initial={EMPTY_VALUES}
      pending={create.pending}
      error={create.error}
      onSubmit={async (built) => {
        const created = await create.run({ patient: built.fields as unknown as PatientDraft });
        if (created) navigate(`/${created.id}`);
      }}
      onDone={() => navigate('/')}
    />
  );
}

export function EditPatient({ patientId }: { patientId: string }) {
  const { t } = useTranslation('patients');
  const [, navigate] = useLocation();
  // Read once, not live: a change from another workstation must not overwrite what is typed.
  const record = useQuery('patients.get', { patientId });
  const update = useCommand('patients.update');
  const initial = useMemo(
    () => (record.data ? valuesFromPatient(record.data.patient) : null),
    [record.data],
  );
  if (!initial) {
    return (
      <section aria-labelledby="patient-form-title">
        <h1 id="patient-form-title">{t('form.editTitle')}</h1>
        {record.error ? (
          <ErrorMessage error={record.error} />
        ) : (
          <p aria-busy="true">{t('form.loading')}</p>
        )}
      </section>
    );
  }
  return (
    <PatientForm
      mode="edit"
      subtitle={record.data ? displayName(record.data.patient) : ''}
      initial={initial}
      pending={update.pending}
      error={update.error}
      onSubmit={async (built) => {
        const changes: Record<string, unknown> = { ...built.fields };
        for (const field of CLEARABLE) if (!(field in changes)) changes[field] = null;
        const done = await update.run({
          patientId,
          changes: changes as unknown as PatientChanges,
        });
        if (done) navigate(`/${patientId}`);
      }}
      onDone={() => navigate(`/${patientId}`)}
    />
  );
}

/** The issue for a field or anything under it (`allergies` covers `allergies.3`). */
function issueUnder(error: ApiError | null, path: string): string | undefined {
  const message = error?.issues.find(
    (issue) => issue.field === path || issue.field.startsWith(`${path}.`),
  )?.message;
  return message ? message.charAt(0).toUpperCase() + message.slice(1) : undefined;
}

function PatientForm({
  mode,
  subtitle = '',
  initial,
  pending,
  error,
  onSubmit,
  onDone,
}: {
  mode: 'new' | 'edit';
  subtitle?: string;
  initial: PatientFormValues;
  pending: boolean;
  error: ApiError | null;
  onSubmit: (built: Built) => Promise<void>;
  onDone: () => void;
}) {
  const { t } = useTranslation('patients');
  const [values, setValues] = useState(initial);
  const [askDiscard, setAskDiscard] = useState(false);
  // Which draft rows the last save sent, to put each issue beside the row it is about.
  const [sent, setSent] = useState<Built | null>(null);
  const form = useRef<HTMLFormElement>(null);
  const dirty = JSON.stringify(values) !== JSON.stringify(initial);

  // A new form starts in its first field (after the Shell moves focus to <main> on navigation).
  useEffect(() => {
    if (mode !== 'new') return;
    const timer = setTimeout(() => form.current?.querySelector<HTMLElement>('input')?.focus(), 0);
    return () => clearTimeout(timer);
  }, [mode]);

  // After a refused save the keyboard lands on the first field to fix.
  useEffect(() => {
    if (!error) return;
    const invalid = form.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    (invalid ?? form.current?.querySelector<HTMLElement>('.form-problem'))?.focus();
  }, [error]);

  const set = <K extends keyof PatientFormValues>(key: K, value: PatientFormValues[K]) =>
    setValues((previous) => ({ ...previous, [key]: value }));
  const setPhone = (row: number, change: Partial<PhoneRow>) =>
    set(
      'phones',
      values.phones.map((phone, index) => (index === row ? { ...phone, ...change } : phone)),
    );
  const setPlan = (row: number, change: Partial<InsuranceRow>) =>
    set(
      'insurance',
      values.insurance.map((plan, index) => (index === row ? { ...plan, ...change } : plan)),
    );

  const issue = (path: string) => issueUnder(error, path);
  const rowIssue = (list: 'phones' | 'insurance', row: number, field: string) => {
    const rows = list === 'phones' ? sent?.phoneRows : sent?.insuranceRows;
    const position = rows?.indexOf(row) ?? -1;
    return position < 0 ? undefined : issue(`${list}.${position}.${field}`);
  };
  // Issues no field shows (e.g. about the whole record), so none is hidden.
  const shownElsewhere = (field: string) =>
    /^(firstName|lastName|preferredName|birthDate|sex|status|nationalId|email|allergies|medicalAlerts|address\.\w+|phones\.\d+\.(number|kind)|insurance\.\d+\.\w+)(\.|$)/.test(
      field,
    );
  const otherIssues = (error?.issues ?? []).filter((item) => !shownElsewhere(item.field));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const built = buildPatientFields(values);
    setSent(built);
    await onSubmit(built);
  };

  const title = mode === 'new' ? t('form.newTitle') : t('form.editTitle');
  const text = (
    key: keyof PatientFormValues,
    label: string,
    extra: { type?: string; autoComplete?: string; hint?: string } = {},
  ) => (
    <Field label={label} error={issue(key)} {...(extra.hint ? { hint: extra.hint } : {})}>
      {(props) => (
        <input
          {...props}
          type={extra.type ?? 'text'}
          autoComplete={extra.autoComplete ?? 'off'}
          value={values[key] as string}
          onChange={(event) => set(key, event.target.value as never)}
        />
      )}
    </Field>
  );

  return (
    <section className="patient-form" aria-labelledby="patient-form-title">
      <h1 id="patient-form-title">{title}</h1>
      {subtitle && <p className="record-subtitle">{subtitle}</p>}
      <form ref={form} onSubmit={submit} noValidate>
        {error && (
          <div className="error-message form-problem" role="alert" tabIndex={-1}>
            {error.code === 'invalid_input' ? (
              <>
                <p>{t('form.fixFields')}</p>
                {otherIssues.length > 0 && (
                  <ul>
                    {otherIssues.map((item) => (
                      <li key={item.field}>{item.message}</li>
                    ))}
                  </ul>
                )}
              </>
            ) : (
              <p>{error.message}</p>
            )}
          </div>
        )}

        <Section title={t('form.person')}>
          <div className="form-grid">
            {text('firstName', t('form.firstName'))}
            {text('lastName', t('form.lastName'))}
            {text('preferredName', t('form.preferredName'), { hint: t('form.preferredNameHint') })}
            {text('birthDate', t('form.birthDate'), { type: 'date' })}
            <Field label={t('form.sex')} error={issue('sex')}>
              {(props) => (
                <select
                  {...props}
                  value={values.sex}
                  onChange={(event) => set('sex', event.target.value as Sex | '')}
                >
                  <option value="">{t('form.choose')}</option>
                  {SEXES.map((sex) => (
                    <option key={sex} value={sex}>
                      {t(`sex.${sex}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('form.status')} error={issue('status')}>
              {(props) => (
                <select
                  {...props}
                  value={values.status}
                  onChange={(event) => set('status', event.target.value as PatientStatus)}
                >
                  {PATIENT_STATUSES.map((status) => (
                    <option key={status} value={status}>
                      {t(`patientStatus.${status}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {text('nationalId', t('form.nationalId'))}
          </div>
        </Section>

        <Section title={t('form.contact')}>
          <fieldset>
            <legend>{t('form.phones')}</legend>
            <p className="field-hint">{t('form.phonesHint')}</p>
            {values.phones.length === 0 && <p className="empty">{t('form.noPhones')}</p>}
            {values.phones.map((phone, row) => (
              <div className="row-fields" key={row}>
                <Field
                  label={row === 0 ? t('form.phone') : t('form.phoneN', { n: row + 1 })}
                  error={rowIssue('phones', row, 'number')}
                >
                  {(props) => (
                    <input
                      {...props}
                      type="tel"
                      autoComplete="off"
                      value={phone.number}
                      onChange={(event) => setPhone(row, { number: event.target.value })}
                    />
                  )}
                </Field>
                <Field
                  label={row === 0 ? t('form.numberType') : t('form.numberTypeN', { n: row + 1 })}
                  error={rowIssue('phones', row, 'kind')}
                >
                  {(props) => (
                    <select
                      {...props}
                      value={phone.kind}
                      onChange={(event) => setPhone(row, { kind: event.target.value as PhoneKind })}
                    >
                      {PHONE_KINDS.map((kind) => (
                        <option key={kind} value={kind}>
                          {t(`phoneKind.${kind}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <button
                  type="button"
                  className="secondary row-remove"
                  aria-label={t('form.removePhone', { n: row + 1 })}
                  onClick={() =>
                    set(
                      'phones',
                      values.phones.filter((_, index) => index !== row),
                    )
                  }
                >
                  {t('form.remove')}
                </button>
              </div>
            ))}
            <button
              type="button"
              className="secondary"
              onClick={() => set('phones', [...values.phones, { kind: 'mobile', number: '' }])}
            >
              {t('form.addPhone')}
            </button>
          </fieldset>
          <div className="form-grid">{text('email', t('form.email'), { type: 'email' })}</div>
          <fieldset>
            <legend>{t('form.address')}</legend>
            <div className="form-grid">
              {ADDRESS_FIELDS.map((key) => (
                <Field
                  key={key}
                  label={t(`form.${key}`)}
                  error={issue(`address.${key}`)}
                  {...(key === 'country' ? { hint: t('form.countryHint') } : {})}
                >
                  {(props) => (
                    <input
                      {...props}
                      autoComplete="off"
                      maxLength={key === 'country' ? 2 : undefined}
                      value={values[key]}
                      onChange={(event) => set(key, event.target.value)}
                    />
                  )}
                </Field>
              ))}
            </div>
          </fieldset>
        </Section>

        <Section title={t('form.health')}>
          <div className="form-grid wide">
            {(['allergies', 'medicalAlerts'] as const).map((key) => (
              <Field
                key={key}
                label={t(`form.${key}`)}
                hint={t('form.onePerLine')}
                error={issue(key)}
              >
                {(props) => (
                  <textarea
                    {...props}
                    rows={3}
                    value={values[key]}
                    onChange={(event) => set(key, event.target.value)}
                  />
                )}
              </Field>
            ))}
          </div>
        </Section>

        <Section title={t('form.insurance')}>
          {values.insurance.length === 0 && <p className="empty">{t('form.noInsurance')}</p>}
          {values.insurance.map((plan, row) => (
            <fieldset key={row}>
              <legend>{t('form.plan', { n: row + 1 })}</legend>
              <div className="form-grid">
                {(['carrier', 'memberId', 'groupNumber', 'subscriberName'] as const).map((key) => (
                  <Field key={key} label={t(`form.${key}`)} error={rowIssue('insurance', row, key)}>
                    {(props) => (
                      <input
                        {...props}
                        autoComplete="off"
                        value={plan[key]}
                        onChange={(event) => setPlan(row, { [key]: event.target.value })}
                      />
                    )}
                  </Field>
                ))}
                <Field
                  label={t('form.relationship')}
                  error={rowIssue('insurance', row, 'relationship')}
                >
                  {(props) => (
                    <select
                      {...props}
                      value={plan.relationship}
                      onChange={(event) =>
                        setPlan(row, { relationship: event.target.value as Relationship })
                      }
                    >
                      {RELATIONSHIPS.map((relationship) => (
                        <option key={relationship} value={relationship}>
                          {t(`relationship.${relationship}`)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </div>
              <button
                type="button"
                className="secondary"
                aria-label={t('form.removeInsurance', { n: row + 1 })}
                onClick={() =>
                  set(
                    'insurance',
                    values.insurance.filter((_, index) => index !== row),
                  )
                }
              >
                {t('form.remove')}
              </button>
            </fieldset>
          ))}
          <button
            type="button"
            className="secondary"
            onClick={() =>
              set('insurance', [
                ...values.insurance,
                {
                  carrier: '',
                  memberId: '',
                  groupNumber: '',
                  subscriberName: '',
                  relationship: 'self',
                },
              ])
            }
          >
            {t('form.addInsurance')}
          </button>
        </Section>

        <div className="actions sticky-actions">
          <button
            type="button"
            className="secondary"
            onClick={() => (dirty ? setAskDiscard(true) : onDone())}
          >
            {t('form.cancel')}
          </button>
          <button type="submit" disabled={pending} aria-busy={pending}>
            {pending ? t('form.saving') : t('form.save')}
          </button>
        </div>
      </form>
      <Dialog
        open={askDiscard}
        onClose={() => setAskDiscard(false)}
        title={t('form.discardTitle')}
        description={t('form.discardBody')}
      >
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setAskDiscard(false)}>
            {t('form.keepEditing')}
          </button>
          <button type="button" className="danger" onClick={onDone}>
            {t('form.discard')}
          </button>
        </div>
      </Dialog>
    </section>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="card form-section">
      <h2>{title}</h2>
      {children}
    </section>
  );
}
