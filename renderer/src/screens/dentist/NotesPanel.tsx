// Clinical notes on the chart: the notes newest first (drafts, signed notes, amendments), a draft
// that saves itself as it is typed (a second after the last key, on leaving the box, and when the
// chart closes) so nothing typed is lost, signing with a confirmation, and amending a signed note.
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'wouter';
import type { ClinicalNote } from '../../../../shared/domain/schemas/index';
import type { Lists, SyncConflict } from '../../../../shared/api/views';
import type { ApiError } from '../../../../shared/api/protocol';
import { asApiError, fieldError, useApi, useCommand, useSubscription } from '../../api/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Field } from '../../components/Field';
import { formatDateTime, formatTime } from '../../i18n/format';

const AUTOSAVE_MS = 1000;
/** Notes shown before "show all": the latest visits. */
const FIRST_NOTES = 5;

export interface NotesPanelProps {
  readonly patientId: string;
  readonly notes: readonly ClinicalNote[];
  readonly lists: Lists | undefined;
  readonly timeZone: string;
  readonly locale: string;
}

type SaveState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'saving' }
  | { readonly kind: 'saved'; readonly at: string }
  | { readonly kind: 'failed'; readonly error: ApiError };

/**
 * The draft being written: its text, its note id once the core has one, and a save queue so a
 * second save waits for the first (else two drafts would be created for one note).
 */
function useDraft(patientId: string) {
  const api = useApi();
  const [text, setTextState] = useState('');
  const [noteId, setNoteId] = useState<string | null>(null);
  const [state, setState] = useState<SaveState>({ kind: 'idle' });
  const latest = useRef({ text: '', noteId: null as string | null, saved: '' });
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const mounted = useRef(true);

  /** Saves what is typed (if it changed); resolves to the draft's id, or null when it failed. */
  const save = useCallback((): Promise<string | null> => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const run = queue.current.then(async () => {
      const { text: body, noteId: id, saved } = latest.current;
      if (body.trim() === '' || body === saved) return id;
      if (mounted.current) setState({ kind: 'saving' });
      try {
        const created = await api.call('notes.saveDraft', {
          patientId,
          body,
          ...(id ? { noteId: id } : {}),
        });
        latest.current = { ...latest.current, noteId: created.id, saved: body };
        if (mounted.current) {
          setNoteId(created.id);
          setState({ kind: 'saved', at: new Date().toISOString() });
        }
        return created.id;
      } catch (error) {
        if (mounted.current) setState({ kind: 'failed', error: asApiError(error) });
        return null;
      }
    });
    queue.current = run;
    return run;
  }, [api, patientId]);

  const setText = useCallback(
    (next: string) => {
      latest.current.text = next;
      setTextState(next);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => void save(), AUTOSAVE_MS);
    },
    [save],
  );

  /** Starts over (after signing) or picks up an existing draft. */
  const load = useCallback((note: ClinicalNote | null) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    const body = note?.body ?? '';
    latest.current = { text: body, noteId: note?.id ?? null, saved: body };
    setTextState(body);
    setNoteId(note?.id ?? null);
    setState({ kind: 'idle' });
  }, []);

  // Leaving the chart with typing not yet saved: save it on the way out.
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      if (timer.current) void save();
    };
  }, [save]);

  return { text, setText, noteId, state, save, load };
}

export function NotesPanel({ patientId, notes, lists, timeZone, locale }: NotesPanelProps) {
  const { t } = useTranslation('dentist');
  const draft = useDraft(patientId);
  const sign = useCommand('notes.sign');
  const [confirming, setConfirming] = useState(false);
  const conflicts = useSubscription('live.conflicts', {});
  const [allNotes, setAllNotes] = useState(false);

  const when = (instant: string) => formatDateTime(instant, timeZone, locale);
  const providerName = (id: string) =>
    lists?.providers.find((provider) => provider.id === id)?.name ?? t('notes.unknownAuthor');
  const staffName = (id: string) =>
    lists?.staff.find((member) => member.id === id)?.name ?? t('notes.unknownAuthor');

  // Ids are time-ordered, so they break ties between notes written in the same millisecond.
  const sorted = [...notes].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
  );
  const amendmentsOf = (id: string) => notes.filter((note) => note.amendsNoteId === id).length;
  const conflictsOf = (id: string): SyncConflict[] =>
    (conflicts.data ?? []).filter(
      (conflict) =>
        conflict.collection === 'clinical_notes' &&
        conflict.documentId === id &&
        !conflict.resolved,
    );
  const editing = draft.noteId ? notes.find((note) => note.id === draft.noteId) : undefined;

  const confirmSign = async () => {
    // The text on screen is what gets signed: save it first.
    const noteId = await draft.save();
    if (noteId && (await sign.run({ noteId }))) draft.load(null);
    setConfirming(false);
  };

  const saveError = draft.state.kind === 'failed' ? draft.state.error : null;

  return (
    <section aria-labelledby="notes-title" className="card notes-panel">
      <h2 id="notes-title">{t('notes.title')}</h2>

      <div className="note-composer">
        {editing && (
          <p className="field-hint">{t('notes.editingDraft', { when: when(editing.createdAt) })}</p>
        )}
        <Field
          label={t('notes.newNote')}
          hint={t('notes.newNoteHint')}
          error={fieldError(saveError, 'body')}
        >
          {(field) => (
            <textarea
              {...field}
              rows={5}
              value={draft.text}
              onChange={(event) => draft.setText(event.target.value)}
              onBlur={() => void draft.save()}
            />
          )}
        </Field>
        <p className="save-state" aria-live="polite">
          {draft.state.kind === 'saving'
            ? t('notes.saving')
            : draft.state.kind === 'saved'
              ? t('notes.savedAt', { time: formatTime(draft.state.at, timeZone, locale) })
              : ''}
        </p>
        <ErrorMessage error={saveError} fieldsShown />
        <ErrorMessage error={sign.error} />
        <div className="actions start">
          <button
            type="button"
            className="secondary"
            disabled={draft.text.trim() === '' || draft.state.kind === 'saving'}
            onClick={() => void draft.save()}
          >
            {t('notes.saveDraft')}
          </button>
          <button
            type="button"
            disabled={draft.text.trim() === '' || sign.pending}
            onClick={() => {
              sign.reset();
              setConfirming(true);
            }}
          >
            {t('notes.signNote')}
          </button>
          {draft.noteId && (
            <button type="button" className="link-button" onClick={() => draft.load(null)}>
              {t('notes.newDraft')}
            </button>
          )}
        </div>
      </div>

      <Dialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={t('notes.signTitle')}
        description={t('notes.signWarning')}
      >
        <div className="actions">
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            {t('cancel', { ns: 'common' })}
          </button>
          <button type="button" disabled={sign.pending} onClick={() => void confirmSign()}>
            {sign.pending ? t('notes.signing') : t('notes.confirmSigning')}
          </button>
        </div>
      </Dialog>

      {sorted.length === 0 ? (
        <p className="empty">{t('notes.none')}</p>
      ) : (
        <ol className="notes-list">
          {(allNotes ? sorted : sorted.slice(0, FIRST_NOTES)).map((note) => (
            <NoteItem
              key={note.id}
              note={note}
              amends={
                note.amendsNoteId
                  ? notes.find((other) => other.id === note.amendsNoteId)
                  : undefined
              }
              amendments={amendmentsOf(note.id)}
              conflicts={conflictsOf(note.id)}
              editing={note.id === draft.noteId}
              when={when}
              providerName={providerName}
              staffName={staffName}
              onContinue={() => draft.load(note)}
            />
          ))}
        </ol>
      )}
      {!allNotes && sorted.length > FIRST_NOTES && (
        <button type="button" className="link-button" onClick={() => setAllNotes(true)}>
          {t('notes.showAll', { count: sorted.length })}
        </button>
      )}
    </section>
  );
}

function NoteItem(props: {
  note: ClinicalNote;
  amends: ClinicalNote | undefined;
  amendments: number;
  conflicts: readonly SyncConflict[];
  editing: boolean;
  when: (instant: string) => string;
  providerName: (id: string) => string;
  staffName: (id: string) => string;
  onContinue: () => void;
}) {
  const { t } = useTranslation('dentist');
  const { note, when } = props;
  const [amending, setAmending] = useState(false);
  const [body, setBody] = useState('');
  const amend = useCommand('notes.amend');
  const signed = note.status === 'signed';
  // Sync keeps a clinical text that lost a clash as a draft beside the note (one that amends it
  // when that note was signed); an amendment written here is signed at once.
  const kind = note.amendsNoteId
    ? signed
      ? 'amendmentBadge'
      : 'conflictCopy'
    : signed
      ? 'signed'
      : 'draft';

  return (
    <li className={`note note-${kind}`} data-testid="note">
      <div className="note-header">
        <span className={`badge note-badge-${kind}`}>{t(`notes.${kind}`)}</span>{' '}
        <span className="note-meta">
          {t('notes.written', {
            when: when(note.createdAt),
            author: props.providerName(note.providerId),
          })}
          {signed && note.signedAt && note.signedBy
            ? `, ${t('notes.signedOn', { when: when(note.signedAt), author: props.staffName(note.signedBy) })}`
            : ''}
        </span>
      </div>
      {kind === 'conflictCopy' && <p className="warning">{t('notes.conflictCopyNote')}</p>}
      {props.amends && (
        <p className="note-meta">{t('notes.amends', { when: when(props.amends.createdAt) })}</p>
      )}
      <p className="note-body">{note.body}</p>
      {props.amendments > 0 && (
        <p className="note-meta">{t('notes.amendedBy', { count: props.amendments })}</p>
      )}
      {props.conflicts.map((conflict) => (
        <div key={conflict.id} className="warning note-conflict" role="note">
          <p>{t('notes.conflict')}</p>
          {typeof conflict.localValue === 'string' && (
            <>
              <p className="note-meta">{t('notes.conflictText')}</p>
              <p className="note-body">{conflict.localValue}</p>
            </>
          )}
          <Link href="/conflicts">{t('notes.reviewConflicts')}</Link>
        </div>
      ))}
      {!signed && !props.editing && (
        <button type="button" className="secondary" onClick={props.onContinue}>
          {t('notes.continueDraft')}
        </button>
      )}
      {signed && !amending && (
        <button
          type="button"
          className="secondary"
          onClick={() => {
            amend.reset();
            setAmending(true);
          }}
        >
          {t('notes.amend')}
        </button>
      )}
      {signed && amending && (
        <form
          className="amend-form"
          onSubmit={async (event) => {
            event.preventDefault();
            if (body.trim() === '') return;
            if (await amend.run({ noteId: note.id, body })) {
              setAmending(false);
              setBody('');
            }
          }}
        >
          <Field label={t('notes.amendment')} error={fieldError(amend.error, 'body')}>
            {(field) => (
              <textarea
                {...field}
                rows={3}
                value={body}
                autoFocus
                onChange={(event) => setBody(event.target.value)}
              />
            )}
          </Field>
          <ErrorMessage error={amend.error} fieldsShown />
          <div className="actions start">
            <button type="submit" disabled={amend.pending || body.trim() === ''}>
              {t('notes.saveAmendment')}
            </button>
            <button type="button" className="secondary" onClick={() => setAmending(false)}>
              {t('cancel', { ns: 'common' })}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}
